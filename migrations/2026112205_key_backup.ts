import { sql, type Kysely } from 'kysely';

// Optional server-held backups of members' secret keys (wrapped client-side with Argon2id: the
// server stores an opaque blob), and recovery codes: a coordinator vouches for a member who lost
// their device, as for an enrollment, and the code unlocks the backup once.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE member_key_backups (
       clsm_id uuid NOT NULL,
       member_id uuid NOT NULL,
       key_version integer NOT NULL,
       blob jsonb NOT NULL CHECK (octet_length(blob::text) < 4096),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, member_id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,
    `ALTER TABLE enrollment_codes ADD COLUMN purpose text NOT NULL DEFAULT 'enroll' CHECK (purpose IN ('enroll', 'recover'))`,
    `ALTER TABLE enrollment_codes ADD COLUMN member_id uuid`,
    `ALTER TABLE enrollment_codes ADD CONSTRAINT recovery_names_member CHECK (purpose = 'enroll' OR member_id IS NOT NULL)`,
    `GRANT SELECT, INSERT, UPDATE ON member_key_backups TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE member_key_backups').execute(db);
  await sql.raw('ALTER TABLE enrollment_codes DROP CONSTRAINT recovery_names_member').execute(db);
  await sql.raw('ALTER TABLE enrollment_codes DROP COLUMN member_id').execute(db);
  await sql.raw('ALTER TABLE enrollment_codes DROP COLUMN purpose').execute(db);
}
