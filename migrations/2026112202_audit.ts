import { sql, type Kysely } from 'kysely';

// The tamper-evident audit log (docs/adr/0004). One hash chain per tenant. The whole append is
// ONE statement: a BEFORE INSERT trigger takes the tenant's transaction-scoped advisory lock, reads
// the chain head, and computes seq, prev_hash and hash with sha256(). Values the application passes
// for seq, at, prev_hash or hash are overwritten, so the API role cannot forge a link.
//
// hash = sha256(field('clsm.audit.v1') || prev_hash || int8(seq) || field(clsm_id) || int8(at, ms)
//               || field(type) || field(outcome) || field(reason) || field(actor_id) || field(actor_role)
//               || field(action) || field(resource_type) || field(resource_id) || field(case_id)
//               || field(compartment) || field(subject_id) || field(key_version) || field(legal_basis)
//               || field(legal_basis_id) || field(request_id))
// field(v) = int4(byte length of UTF-8 v) || UTF-8 v, and int4(-1) for NULL; integers big-endian.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE audit_events (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       seq bigint NOT NULL CHECK (seq > 0),
       at timestamptz NOT NULL,
       type text NOT NULL CHECK (type ~ '^[a-z][a-z_.]{1,62}$'),
       outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
       reason text CHECK (reason ~ '^[A-Z][A-Z_]{1,62}$'),
       actor_id uuid,
       actor_role text,
       action text,
       resource_type text,
       resource_id text CHECK (length(resource_id) <= 80),
       case_id uuid,
       compartment text,
       subject_id uuid,
       key_version integer,
       legal_basis text CHECK (legal_basis IN ('consent', 'exception', 'care_team', 'law')),
       legal_basis_id uuid,
       request_id text CHECK (length(request_id) <= 64),
       prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
       hash bytea NOT NULL CHECK (octet_length(hash) = 32),
       PRIMARY KEY (clsm_id, seq)
     )`,
    `CREATE INDEX audit_events_case ON audit_events (clsm_id, case_id, seq) WHERE case_id IS NOT NULL`,
    `CREATE INDEX audit_events_actor ON audit_events (clsm_id, actor_id, seq)`,

    `CREATE FUNCTION audit_field(v text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
       SELECT CASE WHEN v IS NULL THEN '\\xffffffff'::bytea
                   ELSE int4send(octet_length(convert_to(v, 'UTF8'))) || convert_to(v, 'UTF8') END
     $$`,
    `CREATE FUNCTION audit_preimage(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
       SELECT audit_field('clsm.audit.v1') || e.prev_hash || int8send(e.seq) || audit_field(e.clsm_id::text)
         || int8send((extract(epoch FROM e.at) * 1000)::bigint)
         || audit_field(e.type) || audit_field(e.outcome) || audit_field(e.reason)
         || audit_field(e.actor_id::text) || audit_field(e.actor_role) || audit_field(e.action)
         || audit_field(e.resource_type) || audit_field(e.resource_id) || audit_field(e.case_id::text)
         || audit_field(e.compartment) || audit_field(e.subject_id::text) || audit_field(e.key_version::text)
         || audit_field(e.legal_basis) || audit_field(e.legal_basis_id::text) || audit_field(e.request_id)
     $$`,
    `CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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
       NEW.at := date_trunc('milliseconds', clock_timestamp());
       NEW.hash := sha256(audit_preimage(NEW));
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`,

    `CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()`,
    `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable()`,

    `CREATE TABLE audit_checkpoints (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       seq bigint NOT NULL,
       hash bytea NOT NULL CHECK (octet_length(hash) = 32),
       signed_at timestamptz NOT NULL,
       key_id text NOT NULL,
       signature bytea NOT NULL CHECK (octet_length(signature) = 64),
       PRIMARY KEY (clsm_id, seq)
     )`,
    `CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
       FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()`,

    `GRANT SELECT, INSERT ON audit_events TO clsm_app`,
    `GRANT SELECT, INSERT ON audit_checkpoints TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TABLE audit_checkpoints',
    'DROP TABLE audit_events',
    'DROP FUNCTION audit_events_immutable()',
    'DROP FUNCTION audit_events_chain()',
    'DROP FUNCTION audit_preimage(audit_events)',
    'DROP FUNCTION audit_field(text)',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
