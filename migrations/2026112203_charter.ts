import { sql, type Kysely } from 'kysely';

// The charte éthique: its text lives in policies/charter/; the database records which version each
// CLSM has published (with the text's hash) and who accepted which version, when.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE charter_publications (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       version integer NOT NULL CHECK (version > 0),
       text_sha256 bytea NOT NULL CHECK (octet_length(text_sha256) = 32),
       published_at timestamptz NOT NULL DEFAULT now(),
       published_by uuid,
       PRIMARY KEY (clsm_id, version)
     )`,
    `CREATE TABLE charter_acceptances (
       clsm_id uuid NOT NULL,
       member_id uuid NOT NULL,
       version integer NOT NULL,
       accepted_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, member_id, version),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, version) REFERENCES charter_publications (clsm_id, version)
     )`,
    `GRANT SELECT, INSERT ON charter_publications TO clsm_app`,
    `GRANT SELECT, INSERT ON charter_acceptances TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE charter_acceptances').execute(db);
  await sql.raw('DROP TABLE charter_publications').execute(db);
}
