import { sql, type Kysely } from 'kysely';

// The directory log of each CLSM (docs/adr/0016): the statements, signed by coordinators on their
// devices, that certify each member's keys, role and organisation and every change to them. The
// server checks and stores them; clients replay them from the CLSM's root. Append-only, like the
// audit log: the application role may insert and read, nothing else, and even the schema owner must
// drop a trigger to rewrite it (which every client then detects).
// Invitations made by an inviter's device name the invitation id the inviter chose (it derives the
// code's secret from it), so `enrollment_codes.id` is the client's; the server never sees the code.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE directory_entries (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       seq bigint NOT NULL CHECK (seq >= 0),
       prev_hash bytea CHECK (octet_length(prev_hash) = 32),
       kind text NOT NULL CHECK (kind IN ('root', 'certify', 'role', 'suspend', 'reinstate', 'device')),
       author_id uuid NOT NULL,
       subject_id uuid NOT NULL,
       role text,
       organisation text,
       display_name text,
       sign_public_key bytea CHECK (octet_length(sign_public_key) = 32),
       box_public_key bytea CHECK (octet_length(box_public_key) = 32),
       key_version integer,
       signature bytea NOT NULL CHECK (octet_length(signature) = 64),
       hash bytea NOT NULL CHECK (octet_length(hash) = 32),
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, seq),
       CHECK ((seq = 0) = (prev_hash IS NULL))
     )`,
    `CREATE TRIGGER directory_entries_no_update BEFORE UPDATE OR DELETE ON directory_entries
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
    `CREATE TRIGGER directory_entries_no_truncate BEFORE TRUNCATE ON directory_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
    `GRANT SELECT, INSERT ON directory_entries TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE directory_entries').execute(db);
}
