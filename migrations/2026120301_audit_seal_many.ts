import { sql, type Kysely } from 'kysely';

// One sealing for the events of several CLSMs (docs/adr/0035): the API's connections that commit
// while a sealing runs share the next one, whichever CLSMs their events belong to. A sealing first
// takes the lock of each CLSM among its events, in one order (the lock's key, then the CLSM), as
// `audit_seal_all` now does, so that two sealings of overlapping CLSMs never wait for each other
// in a cycle; then one statement moves its events into the chain, each CLSM's in the order they
// were written. Its statements find their events by key only, so one generic plan serves every
// call (planning them for each call's values cost as much as sealing one event).

const SEARCH_PATH = 'pg_catalog, public, pg_temp';

const EVENT_COLUMNS = `clsm_id, at, type, outcome, reason, actor_id, actor_role, action, resource_type,
  resource_id, case_id, compartment, subject_id, key_version, legal_basis, legal_basis_id, request_id,
  occurrences`;

const inLockOrder = (from: string) =>
  `SELECT d.clsm FROM (SELECT DISTINCT clsm_id AS clsm FROM audit_pending ${from}) AS d
     ORDER BY hashtext(d.clsm::text), d.clsm`;

const sealAll = (order: string) => `CREATE OR REPLACE FUNCTION audit_seal_all() RETURNS integer
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${SEARCH_PATH} AS $$
   DECLARE
     c uuid;
     sealed integer := 0;
   BEGIN
     FOR c IN ${order} LOOP
       sealed := sealed + audit_seal(c);
     END LOOP;
     RETURN sealed;
   END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE FUNCTION audit_seal_many(p_ids bigint[]) RETURNS integer LANGUAGE plpgsql
       SECURITY DEFINER SET search_path = ${SEARCH_PATH} SET plan_cache_mode = force_generic_plan AS $$
     DECLARE
       c uuid;
       sealed integer;
     BEGIN
       -- As audit_seal: no wait for this commit's WAL flush when the sealing is its own transaction.
       IF pg_current_xact_id_if_assigned() IS NULL THEN
         PERFORM set_config('synchronous_commit', 'off', true);
       END IF;
       FOR c IN ${inLockOrder('WHERE id = ANY (p_ids)')} LOOP
         PERFORM pg_advisory_xact_lock(1129075533, hashtext(c::text));
       END LOOP;
       WITH moved AS (DELETE FROM audit_pending WHERE id = ANY (p_ids) RETURNING *)
       INSERT INTO audit_events (${EVENT_COLUMNS})
         SELECT ${EVENT_COLUMNS} FROM moved ORDER BY hashtext(clsm_id::text), clsm_id, id;
       GET DIAGNOSTICS sealed = ROW_COUNT;
       RETURN sealed;
     END $$`,
    sealAll(inLockOrder('')),
    `REVOKE ALL ON FUNCTION audit_seal_many(bigint[]) FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION audit_seal_many(bigint[]) TO clsm_app`,
    // The API reads back an event's key only: what it hands to the sealing.
    `REVOKE SELECT (clsm_id) ON audit_pending FROM clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `GRANT SELECT (clsm_id) ON audit_pending TO clsm_app`,
    sealAll('SELECT DISTINCT clsm_id FROM audit_pending'),
    'DROP FUNCTION audit_seal_many(bigint[])',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
