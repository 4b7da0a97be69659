import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditEvent } from '../kernel/audit-events.js';
import { compiledOnce } from '../db/compiled-once.js';
import type { AuditPendingTable } from './schema.js';

export type AuditRow = Insertable<AuditPendingTable> & Record<string, unknown>;

/** The columns of an event the application writes (the database sets its time). */
export const AUDIT_COLUMNS = [
  'clsm_id',
  'type',
  'outcome',
  'reason',
  'actor_id',
  'actor_role',
  'action',
  'resource_type',
  'resource_id',
  'case_id',
  'compartment',
  'subject_id',
  'key_version',
  'legal_basis',
  'legal_basis_id',
  'request_id',
  'occurrences',
] as const satisfies readonly (keyof Insertable<AuditPendingTable>)[];

// RETURNING tells the connection what to seal once this transaction commits
// (src/db/seal-after-commit.ts).
const insertEvent = compiledOnce(AUDIT_COLUMNS, (db, row: AuditRow) =>
  db.insertInto('audit_pending').values(row).returning('id'),
);

/**
 * Several events in one statement, in the order given: one JSON array of rows, read through the
 * table's own row type, so that one statement (prepared once, docs/adr/0036) serves any number.
 */
export const insertEvents = compiledOnce(['rows'], (db, values: { rows: string }) =>
  db
    .insertInto('audit_pending')
    .columns([...AUDIT_COLUMNS])
    .expression(
      sql`select ${sql.join(AUDIT_COLUMNS.map((c) => sql.ref(`r.${c}`)))}
          from rows from (json_populate_recordset(null::audit_pending, ${values.rows}::json))
            with ordinality as r order by r.ordinality`,
    )
    .returning('id'),
);

/**
 * Appends one event for its CLSM's chain. In a transaction, the event commits or rolls back with
 * the action it records; outside one (a read, docs/adr/0037), it commits at once. Once committed,
 * it is handed to the process's sealer, which chains it within milliseconds (docs/adr/0032, 0039).
 */
export async function appendAudit(trx: Kysely<Database>, event: AuditEvent): Promise<void> {
  await insertEvent(trx, auditRow(event));
}

/** The row of `audit_pending` that records an event. */
export function auditRow(event: AuditEvent): AuditRow {
  return {
    clsm_id: event.clsmId,
    type: event.type,
    outcome: event.outcome,
    reason: event.reason ?? null,
    actor_id: event.actorId ?? null,
    actor_role: event.actorRole ?? null,
    action: event.action ?? null,
    resource_type: event.resourceType ?? null,
    resource_id: event.resourceId ?? null,
    case_id: event.caseId ?? null,
    compartment: event.compartment ?? null,
    subject_id: event.subjectId ?? null,
    key_version: event.keyVersion ?? null,
    legal_basis: event.legalBasis?.kind ?? null,
    legal_basis_id: event.legalBasis !== undefined && 'id' in event.legalBasis ? event.legalBasis.id : null,
    request_id: event.requestId ?? null,
    occurrences: event.occurrences ?? null,
  };
}

/** Records an event on its own: for events that have no action to share a transaction with. */
export async function recordAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, event));
}
