import { sql, type Kysely } from 'kysely';

// The chain trigger's preimage, computed inline (docs/adr/0035). `audit_field` and `audit_preimage`
// were declared IMMUTABLE with a search_path of their own, though `convert_to` and `extract` are
// STABLE: PostgreSQL then runs each call as a query of its own, 19 per event (157 µs an event,
// measured over 20,000). Declared STABLE, with no SET and every function they call qualified with
// pg_catalog, they are inlined into their caller's expression (3.6 µs). The chain trigger calls
// them under its own fixed search_path, so nothing planted in a schema can stand in for them there.
// The same bytes: every hash already stored still verifies.

const BODY_FIELD = `SELECT CASE WHEN v IS NULL THEN '\\xffffffff'::bytea
         ELSE pg_catalog.int4send(pg_catalog.octet_length(pg_catalog.convert_to(v, 'UTF8')))
           || pg_catalog.convert_to(v, 'UTF8') END`;

const BODY_PREIMAGE = `SELECT audit_field('clsm.audit.v1') || e.prev_hash || pg_catalog.int8send(e.seq)
         || audit_field(e.clsm_id::text) || pg_catalog.int8send((extract(epoch FROM e.at) * 1000)::bigint)
         || audit_field(e.type) || audit_field(e.outcome) || audit_field(e.reason)
         || audit_field(e.actor_id::text) || audit_field(e.actor_role) || audit_field(e.action)
         || audit_field(e.resource_type) || audit_field(e.resource_id) || audit_field(e.case_id::text)
         || audit_field(e.compartment) || audit_field(e.subject_id::text) || audit_field(e.key_version::text)
         || audit_field(e.legal_basis) || audit_field(e.legal_basis_id::text) || audit_field(e.request_id)
         || CASE WHEN e.occurrences IS NULL THEN ''::bytea ELSE audit_field(e.occurrences::text) END`;

const SEARCH_PATH = 'pg_catalog, public, pg_temp';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE OR REPLACE FUNCTION audit_field(v text) RETURNS bytea LANGUAGE sql STABLE AS $$ ${BODY_FIELD} $$`,
    `ALTER FUNCTION audit_field(text) RESET ALL`,
    `CREATE OR REPLACE FUNCTION audit_preimage(e audit_events) RETURNS bytea LANGUAGE sql STABLE
       AS $$ ${BODY_PREIMAGE} $$`,
    `ALTER FUNCTION audit_preimage(audit_events) RESET ALL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE OR REPLACE FUNCTION audit_field(v text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$ ${BODY_FIELD} $$`,
    `ALTER FUNCTION audit_field(text) SET search_path = ${SEARCH_PATH}`,
    `CREATE OR REPLACE FUNCTION audit_preimage(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE
       AS $$ ${BODY_PREIMAGE} $$`,
    `ALTER FUNCTION audit_preimage(audit_events) SET search_path = ${SEARCH_PATH}`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
