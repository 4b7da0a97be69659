import type { ColumnType } from 'kysely';

export interface CharterPublicationsTable {
  clsm_id: string;
  version: number;
  text_sha256: Buffer;
  published_at: ColumnType<Date, never, never>;
  published_by: string | null;
}

export interface CharterAcceptancesTable {
  clsm_id: string;
  member_id: string;
  version: number;
  accepted_at: ColumnType<Date, never, never>;
}

export interface CharterTables {
  charter_publications: CharterPublicationsTable;
  charter_acceptances: CharterAcceptancesTable;
}
