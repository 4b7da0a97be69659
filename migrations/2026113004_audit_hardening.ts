import { sql, type Kysely } from 'kysely';

// The audit log against its own schema owner (docs/adr/0014):
// - TRUNCATE of the signed checkpoints is refused like that of the events (a trigger must be
//   disabled first, which the witness outside the database then shows up).
// - Every trigger function runs with a fixed search_path: an object planted in a schema searched
//   before pg_catalog, or in pg_temp, cannot stand in for what it calls.
// - A refused token repeated from one source within a minute is recorded once more as one event
//   carrying how many refusals it stands for (`occurrences`), not once per request. The field
//   enters the hash only when set, so that every event written before keeps its hash.

const SEARCH_PATH = 'pg_catalog, public, pg_temp';

const TRIGGER_FUNCTIONS = `
  SELECT p.oid::regprocedure AS fn
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.prorettype = 'trigger'::regtype AND n.nspname IN ('public', 'stats')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE audit_events ADD COLUMN occurrences integer CHECK (occurrences >= 1)`,
    `CREATE OR REPLACE FUNCTION audit_preimage(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
       SELECT audit_field('clsm.audit.v1') || e.prev_hash || int8send(e.seq) || audit_field(e.clsm_id::text)
         || int8send((extract(epoch FROM e.at) * 1000)::bigint)
         || audit_field(e.type) || audit_field(e.outcome) || audit_field(e.reason)
         || audit_field(e.actor_id::text) || audit_field(e.actor_role) || audit_field(e.action)
         || audit_field(e.resource_type) || audit_field(e.resource_id) || audit_field(e.case_id::text)
         || audit_field(e.compartment) || audit_field(e.subject_id::text) || audit_field(e.key_version::text)
         || audit_field(e.legal_basis) || audit_field(e.legal_basis_id::text) || audit_field(e.request_id)
         || CASE WHEN e.occurrences IS NULL THEN ''::bytea ELSE audit_field(e.occurrences::text) END
     $$`,
    `CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
    `DO $$
     DECLARE
       f record;
     BEGIN
       FOR f IN ${TRIGGER_FUNCTIONS} LOOP
         EXECUTE format('ALTER FUNCTION %s SET search_path = ${SEARCH_PATH}', f.fn);
       END LOOP;
     END $$`,
    // The helpers the chain trigger calls: fixed too, so that nothing they call can be shadowed.
    `ALTER FUNCTION audit_field(text) SET search_path = ${SEARCH_PATH}`,
    `ALTER FUNCTION audit_preimage(audit_events) SET search_path = ${SEARCH_PATH}`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `DO $$
     DECLARE
       f record;
     BEGIN
       FOR f IN ${TRIGGER_FUNCTIONS} LOOP
         EXECUTE format('ALTER FUNCTION %s RESET search_path', f.fn);
       END LOOP;
     END $$`,
    `ALTER FUNCTION audit_field(text) RESET search_path`,
    'DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints',
    'DROP FUNCTION audit_append_only()',
    `CREATE OR REPLACE FUNCTION audit_preimage(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
       SELECT audit_field('clsm.audit.v1') || e.prev_hash || int8send(e.seq) || audit_field(e.clsm_id::text)
         || int8send((extract(epoch FROM e.at) * 1000)::bigint)
         || audit_field(e.type) || audit_field(e.outcome) || audit_field(e.reason)
         || audit_field(e.actor_id::text) || audit_field(e.actor_role) || audit_field(e.action)
         || audit_field(e.resource_type) || audit_field(e.resource_id) || audit_field(e.case_id::text)
         || audit_field(e.compartment) || audit_field(e.subject_id::text) || audit_field(e.key_version::text)
         || audit_field(e.legal_basis) || audit_field(e.legal_basis_id::text) || audit_field(e.request_id)
     $$`,
    `ALTER FUNCTION audit_preimage(audit_events) RESET search_path`,
    'ALTER TABLE audit_events DROP COLUMN occurrences',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
