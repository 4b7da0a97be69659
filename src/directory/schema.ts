import type { ColumnType } from 'kysely';
import type { DirectoryKind } from '../crypto/directory-statements.js';

/** One statement of a CLSM's directory log, as signed (docs/crypto-protocol.md, "The directory log"). */
export interface DirectoryEntriesTable {
  clsm_id: string;
  seq: number;
  prev_hash: Buffer | null;
  kind: DirectoryKind;
  author_id: string;
  subject_id: string;
  role: string | null;
  organisation: string | null;
  display_name: string | null;
  sign_public_key: Buffer | null;
  box_public_key: Buffer | null;
  key_version: number | null;
  signature: Buffer;
  hash: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface DirectoryTables {
  directory_entries: DirectoryEntriesTable;
}
