import { sql, type Kysely } from 'kysely';

// Situations (cases), their participants, their five compartments and the keys and entries that
// live in them, and the person's consent and the legal exceptions to it. The server holds only
// ciphertext, signatures and wrapped keys: no column here can hold case content in clear.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE case_counters (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       year integer NOT NULL,
       last integer NOT NULL,
       PRIMARY KEY (clsm_id, year)
     )`,
    `CREATE TABLE cases (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       id uuid NOT NULL,
       reference text NOT NULL CHECK (reference ~ '^[0-9]{4}-[0-9]{4,}$'),
       status text NOT NULL CHECK (status IN ('referred', 'accepted', 'declined', 'under_review', 'action_plan', 'follow_up', 'closed')),
       urgency text NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
       reason_category text NOT NULL,
       referred_by uuid NOT NULL,
       referred_at timestamptz NOT NULL,
       decided_at timestamptz,
       first_review_at timestamptz,
       closed_at timestamptz,
       decline_reason text,
       outcome_category text,
       retention_until timestamptz,
       purged_at timestamptz,
       stats_fact_id uuid,
       PRIMARY KEY (clsm_id, id),
       UNIQUE (clsm_id, reference),
       FOREIGN KEY (clsm_id, referred_by) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX cases_retention ON cases (retention_until) WHERE purged_at IS NULL AND retention_until IS NOT NULL`,
    `CREATE TABLE case_transitions (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       seq integer NOT NULL,
       from_status text,
       to_status text NOT NULL,
       category text,
       member_id uuid NOT NULL,
       at timestamptz NOT NULL,
       PRIMARY KEY (clsm_id, case_id, seq),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id)
     )`,
    `CREATE TABLE case_participants (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       member_id uuid NOT NULL,
       added_by uuid NOT NULL,
       added_at timestamptz NOT NULL,
       removed_at timestamptz,
       -- The participant's need-to-know: the compartments they are assigned, within what the policy allows.
       compartments text[] NOT NULL DEFAULT ARRAY['identity', 'synthesis', 'social', 'health', 'committee']
         CHECK (compartments <@ ARRAY['identity', 'synthesis', 'social', 'health', 'committee']),
       PRIMARY KEY (clsm_id, case_id, member_id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX case_participants_member ON case_participants (clsm_id, member_id) WHERE removed_at IS NULL`,
    // One row per compartment of a case: version 0 means no key exists yet.
    `CREATE TABLE case_compartments (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       compartment text NOT NULL CHECK (compartment IN ('identity', 'synthesis', 'social', 'health', 'committee')),
       key_version integer NOT NULL DEFAULT 0 CHECK (key_version >= 0),
       rotation_required boolean NOT NULL DEFAULT false,
       PRIMARY KEY (clsm_id, case_id, compartment),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id)
     )`,
    `CREATE TABLE key_grants (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       compartment text NOT NULL,
       key_version integer NOT NULL CHECK (key_version > 0),
       grantee_id uuid NOT NULL,
       grantee_key_version integer NOT NULL,
       granter_id uuid NOT NULL,
       sealed_key bytea NOT NULL CHECK (octet_length(sealed_key) = 80),
       signature bytea NOT NULL CHECK (octet_length(signature) = 64),
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, case_id, compartment, key_version, grantee_id),
       FOREIGN KEY (clsm_id, case_id, compartment) REFERENCES case_compartments (clsm_id, case_id, compartment),
       FOREIGN KEY (clsm_id, grantee_id) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, granter_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX key_grants_grantee ON key_grants (clsm_id, grantee_id)`,
    `CREATE TABLE entries (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       compartment text NOT NULL,
       key_version integer NOT NULL CHECK (key_version > 0),
       author_id uuid NOT NULL,
       kind text NOT NULL CHECK (kind IN ('note', 'referral', 'minutes', 'correction', 'evidence', 'justification', 'action', 'decision')),
       refers_to uuid,
       nonce bytea NOT NULL CHECK (octet_length(nonce) = 24),
       ciphertext bytea NOT NULL CHECK (octet_length(ciphertext) BETWEEN 16 AND 2000000),
       signature bytea NOT NULL CHECK (octet_length(signature) = 64),
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id, compartment) REFERENCES case_compartments (clsm_id, case_id, compartment),
       FOREIGN KEY (clsm_id, author_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX entries_compartment ON entries (clsm_id, case_id, compartment, created_at)`,

    // Consent: an append-only history; the current state is the latest record. A scope lists
    // 'role:compartment' pairs; which pairs consent can open at all is the policy's decision.
    `CREATE TABLE consent_records (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       decision text NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
       scope text[] NOT NULL DEFAULT '{}' CHECK (array_to_string(scope, ',') ~ '^([a-z_]+:[a-z]+(,|$))*$'),
       obtained text NOT NULL CHECK (obtained IN ('oral', 'written', 'legal_representative')),
       statistics_objection boolean NOT NULL DEFAULT false,
       evidence_entry_id uuid,
       review_on date,
       recorded_by uuid NOT NULL,
       recorded_at timestamptz NOT NULL,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, recorded_by) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX consent_records_case ON consent_records (clsm_id, case_id, recorded_at)`,
    `CREATE TABLE legal_exceptions (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       basis text NOT NULL CHECK (basis IN ('danger_grave_imminent', 'unable_to_express_will', 'legal_representative')),
       scope text[] NOT NULL CHECK (cardinality(scope) > 0 AND array_to_string(scope, ',') ~ '^([a-z_]+:[a-z]+(,|$))*$'),
       justification_entry_id uuid NOT NULL,
       requested_by uuid NOT NULL,
       requested_at timestamptz NOT NULL,
       approved_by uuid,
       approved_at timestamptz,
       duration_hours integer NOT NULL CHECK (duration_hours BETWEEN 1 AND 720),
       expires_at timestamptz,
       closed_at timestamptz,
       closed_by uuid,
       person_informed_at timestamptz,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       CHECK (approved_by IS NULL OR approved_by <> requested_by)
     )`,
    `CREATE INDEX legal_exceptions_case ON legal_exceptions (clsm_id, case_id)`,

    `GRANT SELECT, INSERT, UPDATE ON case_counters TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON cases TO clsm_app`,
    `GRANT SELECT, INSERT ON case_transitions TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON case_participants TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON case_compartments TO clsm_app`,
    `GRANT SELECT, INSERT, DELETE ON key_grants TO clsm_app`,
    `GRANT SELECT, INSERT, DELETE ON entries TO clsm_app`,
    `GRANT SELECT, INSERT ON consent_records TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON legal_exceptions TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'legal_exceptions',
    'consent_records',
    'entries',
    'key_grants',
    'case_compartments',
    'case_participants',
    'case_transitions',
    'cases',
    'case_counters',
  ]) {
    await sql.raw(`DROP TABLE ${table}`).execute(db);
  }
}
