import { sql, type Kysely } from 'kysely';

// One sealing for the events of several CLSMs (docs/adr/0035): the API's connections that commit
// while a sealing runs share the next one, whichever CLSMs their events belong to. Each CLSM is
// still sealed by `audit_seal` under its own lock; a sealing takes its CLSMs' locks in one order
// (the lock's key, then the CLSM), as `audit_seal_all` now does, so that two sealings of
// overlapping CLSMs never wait for each other in a cycle.

const SEARCH_PATH = 'pg_catalog, public, pg_temp';

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
       SECURITY DEFINER SET search_path = ${SEARCH_PATH} AS $$
     DECLARE
       c uuid;
       sealed integer := 0;
     BEGIN
       FOR c IN ${inLockOrder('WHERE id = ANY (p_ids)')} LOOP
         sealed := sealed + audit_seal(c, p_ids);
       END LOOP;
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
