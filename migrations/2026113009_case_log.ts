import { sql, type Kysely } from 'kysely';

// The membership log of each situation (docs/adr/0025): the statements, signed by members on their
// devices, that record who takes part and in which compartments, the key versions made and for
// whom, the person's consent and the legal exceptions. The server checks each against the action it
// records and stores both in one transaction; clients replay the log before they seal or accept a
// key. Append-only, like the directory log: the application role may insert and read, nothing else.
// A purge keeps it: it holds no content, and it says who could read what until the end.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE case_log (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       seq bigint NOT NULL CHECK (seq >= 0),
       prev_hash bytea CHECK (octet_length(prev_hash) = 32),
       kind text NOT NULL CHECK (kind IN ('opened', 'added', 'narrowed', 'removed', 'key', 'consent',
         'exception-opened', 'exception-approved', 'exception-shortened', 'exception-closed')),
       author_id uuid NOT NULL,
       author_key_version integer NOT NULL,
       at text NOT NULL,
       subject_id uuid,
       compartments text[],
       key_version integer,
       recipients text[],
       decision text,
       scope text[],
       hours integer,
       until text,
       ref bigint,
       requested_by uuid,
       signature bytea NOT NULL CHECK (octet_length(signature) = 64),
       hash bytea NOT NULL CHECK (octet_length(hash) = 32),
       PRIMARY KEY (clsm_id, case_id, seq),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       CHECK ((seq = 0) = (prev_hash IS NULL))
     )`,
    // The exception's opening statement: its approval, shortening and closing refer to it.
    `ALTER TABLE legal_exceptions ADD COLUMN log_seq bigint`,
    `CREATE TRIGGER case_log_no_update BEFORE UPDATE OR DELETE ON case_log
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
    `CREATE TRIGGER case_log_no_truncate BEFORE TRUNCATE ON case_log
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
    `GRANT SELECT, INSERT ON case_log TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE case_log').execute(db);
}
