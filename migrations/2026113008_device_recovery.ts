import { sql, type Kysely } from 'kysely';

// Devices can be replaced. A key backup is released only against proof of its passphrase: the
// server keeps SHA-256 of an authentication key derived with the wrapping key (the verifier), and a
// recovery code burns after a few wrong proofs. Backups stored before have no verifier and are
// never released. A recovery registers new device keys and revokes what came before them: sessions
// (their rows) and identity-provider tokens issued before the replacement (members' column).

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `ALTER TABLE member_key_backups ADD COLUMN verifier bytea CHECK (octet_length(verifier) = 32)`,
    `ALTER TABLE enrollment_codes ADD COLUMN failed_proofs integer NOT NULL DEFAULT 0 CHECK (failed_proofs >= 0)`,
    `ALTER TABLE members ADD COLUMN keys_replaced_at timestamptz`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE members DROP COLUMN keys_replaced_at').execute(db);
  await sql.raw('ALTER TABLE enrollment_codes DROP COLUMN failed_proofs').execute(db);
  await sql.raw('ALTER TABLE member_key_backups DROP COLUMN verifier').execute(db);
}
