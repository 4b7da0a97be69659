import type { ColumnType } from 'kysely';

export interface AuthChallengesTable {
  clsm_id: string;
  id: string;
  member_id: string;
  nonce: Buffer;
  expires_at: Date;
}

export interface SessionsTable {
  clsm_id: string;
  id: string;
  member_id: string;
  created_at: ColumnType<Date, never, never>;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface RevokedTokensTable {
  token_hash: Buffer;
  clsm_id: string;
  expires_at: Date;
}

export interface AuthTables {
  auth_challenges: AuthChallengesTable;
  sessions: SessionsTable;
  revoked_tokens: RevokedTokensTable;
}
