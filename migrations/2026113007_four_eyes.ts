import { sql, type Kysely } from 'kysely';

// Nobody opens content to themselves alone. Two kinds of change wait for a second participant
// bound by secrecy before they take effect, as a legal exception waits for its approver:
// - an addition to a situation that opens it to the one who asks (adding oneself), or made by a
//   coordinator who takes no part in it of a member with a content role: a participant request;
// - a change of the person's consent that widens what the recorder's own role may read: a consent
//   proposal.
// Until then nothing is in case_participants or consent_records: the request opens nothing. The
// one who asked (and, for an addition, the member it would let in) can never be the one who approves.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE participant_requests (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       member_id uuid NOT NULL,
       compartments text[] NOT NULL
         CHECK (compartments <@ ARRAY['identity', 'synthesis', 'social', 'health', 'committee']),
       requested_by uuid NOT NULL,
       requested_at timestamptz NOT NULL,
       decided_by uuid,
       decided_at timestamptz,
       outcome text CHECK (outcome IN ('approved', 'refused', 'cancelled')),
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, requested_by) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, decided_by) REFERENCES members (clsm_id, id),
       CHECK ((decided_at IS NULL) = (outcome IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
       CHECK (outcome IS DISTINCT FROM 'approved' OR (decided_by <> requested_by AND decided_by <> member_id))
     )`,
    `CREATE UNIQUE INDEX participant_requests_pending ON participant_requests (clsm_id, case_id, member_id)
       WHERE decided_at IS NULL`,
    `CREATE TABLE consent_proposals (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       decision text NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
       scope text[] NOT NULL CHECK (array_to_string(scope, ',') ~ '^([a-z_]+:[a-z]+(,|$))*$'),
       obtained text NOT NULL CHECK (obtained IN ('oral', 'written', 'legal_representative')),
       statistics_objection boolean NOT NULL,
       evidence_entry_id uuid,
       review_on date,
       recorded_by uuid NOT NULL,
       recorded_at timestamptz NOT NULL,
       closed_by uuid,
       closed_at timestamptz,
       outcome text CHECK (outcome IN ('confirmed', 'refused', 'cancelled', 'superseded')),
       record_id uuid,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, recorded_by) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, closed_by) REFERENCES members (clsm_id, id),
       FOREIGN KEY (clsm_id, record_id) REFERENCES consent_records (clsm_id, id),
       CHECK ((closed_at IS NULL) = (outcome IS NULL)),
       CHECK ((outcome = 'confirmed') = (record_id IS NOT NULL)),
       CHECK (outcome IS DISTINCT FROM 'confirmed' OR closed_by <> recorded_by)
     )`,
    // One proposal waits at a time: a newer one, or any consent recorded meanwhile, supersedes it.
    `CREATE UNIQUE INDEX consent_proposals_pending ON consent_proposals (clsm_id, case_id) WHERE closed_at IS NULL`,
    // Who confirmed a consent record that waited for a second person (null: it took effect at once).
    `ALTER TABLE consent_records ADD COLUMN confirmed_by uuid`,
    `ALTER TABLE consent_records ADD CONSTRAINT consent_records_confirmed_by_fk
       FOREIGN KEY (clsm_id, confirmed_by) REFERENCES members (clsm_id, id)`,
    `ALTER TABLE consent_records ADD CONSTRAINT consent_records_four_eyes
       CHECK (confirmed_by IS NULL OR confirmed_by <> recorded_by)`,
    `GRANT SELECT, INSERT, UPDATE ON participant_requests TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON consent_proposals TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TABLE consent_proposals',
    'DROP TABLE participant_requests',
    'ALTER TABLE consent_records DROP CONSTRAINT consent_records_four_eyes',
    'ALTER TABLE consent_records DROP CONSTRAINT consent_records_confirmed_by_fk',
    'ALTER TABLE consent_records DROP COLUMN confirmed_by',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
