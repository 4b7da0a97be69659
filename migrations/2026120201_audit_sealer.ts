import { sql, type Kysely } from 'kysely';

// The chain is sealed after the action's commit, not inside it (docs/adr/0032). An action's
// transaction inserts its events into `audit_pending`, which the application role may only insert
// into: no lock, so the CLSM's other writers no longer wait for this transaction's WAL flush.
// `audit_seal(clsm, ids)` then moves those events into `audit_events`, in the order they were
// written, through the unchanged chain trigger: one lock and one batch for every event of the CLSM
// its connections committed meanwhile. Only `audit_seal` writes the chain: the application role
// loses its INSERT on `audit_events`.
//
// `audit_pending` has every CHECK of `audit_events` (so that an event the chain would refuse is
// refused in its action's transaction, never at sealing): a migration that changes one of those
// constraints changes both tables.

const SEARCH_PATH = 'pg_catalog, public, pg_temp';

const EVENT_COLUMNS = `clsm_id, at, type, outcome, reason, actor_id, actor_role, action, resource_type,
  resource_id, case_id, compartment, subject_id, key_version, legal_basis, legal_basis_id, request_id,
  occurrences`;

const chainTrigger = (at: string) => `CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
  LANGUAGE plpgsql SET search_path = ${SEARCH_PATH} AS $$
  DECLARE
    head record;
  BEGIN
    -- One lock per tenant, held until commit; 1129075533 = 'CLSM' namespaces our advisory locks.
    PERFORM pg_advisory_xact_lock(1129075533, hashtext(NEW.clsm_id::text));
    SELECT seq, hash INTO head FROM audit_events WHERE clsm_id = NEW.clsm_id ORDER BY seq DESC LIMIT 1;
    IF FOUND THEN
      NEW.seq := head.seq + 1;
      NEW.prev_hash := head.hash;
    ELSE
      NEW.seq := 1;
      NEW.prev_hash := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    END IF;
    NEW.at := ${at};
    NEW.hash := sha256(audit_preimage(NEW));
    RETURN NEW;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE audit_pending (LIKE audit_events INCLUDING CONSTRAINTS)`,
    `ALTER TABLE audit_pending DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash,
       ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       ADD FOREIGN KEY (clsm_id) REFERENCES tenants (clsm_id)`,
    `CREATE INDEX audit_pending_clsm ON audit_pending (clsm_id, id)`,
    // The event's time is the action's, taken here: the application cannot choose it.
    `CREATE FUNCTION audit_pending_time() RETURNS trigger LANGUAGE plpgsql SET search_path = ${SEARCH_PATH} AS $$
     BEGIN
       NEW.at := date_trunc('milliseconds', clock_timestamp());
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER audit_pending_time BEFORE INSERT ON audit_pending
       FOR EACH ROW EXECUTE FUNCTION audit_pending_time()`,
    // Events reach the chain through audit_seal only, which carries each one's time over.
    chainTrigger(`date_trunc('milliseconds', coalesce(NEW.at, clock_timestamp()))`),
    // With `p_ids`, the events a connection wrote (found by their key: a CLSM's range of the index
    // would walk every emptied entry until a VACUUM); without, every pending event of the CLSM.
    `CREATE FUNCTION audit_seal(p_clsm uuid, p_ids bigint[] DEFAULT NULL) RETURNS integer LANGUAGE plpgsql
       SECURITY DEFINER SET search_path = ${SEARCH_PATH} AS $$
     DECLARE
       sealed integer;
     BEGIN
       -- Not waiting for this commit's WAL flush loses nothing: a sealing lost in a crash is lost
       -- whole, its events back in audit_pending (committed by their actions) and sealed again; and
       -- a checkpoint signed over it commits after it in the WAL, so it is never durable without it.
       -- Only when nothing was written before it in its transaction (the API's and the jobs' sealings
       -- are transactions of their own): never a caller's write.
       IF pg_current_xact_id_if_assigned() IS NULL THEN
         PERFORM set_config('synchronous_commit', 'off', true);
       END IF;
       PERFORM pg_advisory_xact_lock(1129075533, hashtext(p_clsm::text));
       IF p_ids IS NULL THEN
         WITH moved AS (DELETE FROM audit_pending WHERE clsm_id = p_clsm RETURNING *)
         INSERT INTO audit_events (${EVENT_COLUMNS})
           SELECT ${EVENT_COLUMNS} FROM moved ORDER BY id;
       ELSE
         WITH moved AS (DELETE FROM audit_pending WHERE id = ANY (p_ids) AND clsm_id = p_clsm RETURNING *)
         INSERT INTO audit_events (${EVENT_COLUMNS})
           SELECT ${EVENT_COLUMNS} FROM moved ORDER BY id;
       END IF;
       GET DIAGNOSTICS sealed = ROW_COUNT;
       RETURN sealed;
     END $$`,
    `CREATE FUNCTION audit_seal_all() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = ${SEARCH_PATH} AS $$
     DECLARE
       c uuid;
       sealed integer := 0;
     BEGIN
       FOR c IN SELECT DISTINCT clsm_id FROM audit_pending LOOP
         sealed := sealed + audit_seal(c);
       END LOOP;
       RETURN sealed;
     END $$`,
    `REVOKE ALL ON FUNCTION audit_seal(uuid, bigint[]) FROM PUBLIC`,
    `REVOKE ALL ON FUNCTION audit_seal_all() FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION audit_seal(uuid, bigint[]), audit_seal_all() TO clsm_app`,
    `REVOKE INSERT ON audit_events FROM clsm_app`,
    // RETURNING clsm_id, id is how the API's connection learns what to seal after the commit.
    `GRANT INSERT, SELECT (clsm_id, id) ON audit_pending TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `SELECT audit_seal_all()`,
    `GRANT INSERT ON audit_events TO clsm_app`,
    'DROP FUNCTION audit_seal_all()',
    'DROP FUNCTION audit_seal(uuid, bigint[])',
    chainTrigger(`date_trunc('milliseconds', clock_timestamp())`),
    'DROP TABLE audit_pending',
    'DROP FUNCTION audit_pending_time()',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
