import { sql, type Kysely } from 'kysely';

// The person a situation is about may take part in it, in their own space (docs/adr/0030): a role
// `person`, a compartment `person` in every situation (those opened before included, at key version
// 0 like any compartment nobody wrote in yet), and a legal basis `own` for what the person reads of
// their own space; their invitation names that situation.

const ROLES = `'coordinator', 'health_professional', 'social_worker', 'partner', 'elected_official', 'dpo',
  'stats_reader', 'operator'`;
const COMPARTMENTS = `'identity', 'synthesis', 'social', 'health', 'committee'`;

const constraints = (roles: string, compartments: string, bases: string) => [
  `ALTER TABLE members DROP CONSTRAINT members_role_check`,
  `ALTER TABLE members ADD CONSTRAINT members_role_check CHECK (role IN (${roles}))`,
  `ALTER TABLE case_participants DROP CONSTRAINT case_participants_compartments_check`,
  `ALTER TABLE case_participants ADD CONSTRAINT case_participants_compartments_check
     CHECK (compartments <@ ARRAY[${compartments}])`,
  `ALTER TABLE case_participants ALTER COLUMN compartments SET DEFAULT ARRAY[${compartments}]`,
  `ALTER TABLE case_compartments DROP CONSTRAINT case_compartments_compartment_check`,
  `ALTER TABLE case_compartments ADD CONSTRAINT case_compartments_compartment_check
     CHECK (compartment IN (${compartments}))`,
  `ALTER TABLE participant_requests DROP CONSTRAINT participant_requests_compartments_check`,
  `ALTER TABLE participant_requests ADD CONSTRAINT participant_requests_compartments_check
     CHECK (compartments <@ ARRAY[${compartments}])`,
  `ALTER TABLE audit_events DROP CONSTRAINT audit_events_legal_basis_check`,
  `ALTER TABLE audit_events ADD CONSTRAINT audit_events_legal_basis_check CHECK (legal_basis IN (${bases}))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    ...constraints(
      `${ROLES}, 'person'`,
      `${COMPARTMENTS}, 'person'`,
      `'consent', 'exception', 'care_team', 'law', 'own'`,
    ),
    `INSERT INTO case_compartments (clsm_id, case_id, compartment)
       SELECT clsm_id, id, 'person' FROM cases ON CONFLICT DO NOTHING`,
    // A person's invitation names their situation: their account belongs to it alone.
    `ALTER TABLE enrollment_codes ADD COLUMN case_id uuid CHECK (case_id IS NULL OR role = 'person')`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE enrollment_codes DROP COLUMN case_id').execute(db);
  await sql.raw(`DELETE FROM case_compartments WHERE compartment = 'person'`).execute(db);
  for (const statement of constraints(ROLES, COMPARTMENTS, `'consent', 'exception', 'care_team', 'law'`))
    await sql.raw(statement).execute(db);
}
