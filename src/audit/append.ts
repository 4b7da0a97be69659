import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditEvent } from '../kernel/audit-events.js';
import { compiledOnce } from '../db/compiled-once.js';
import type { AuditEventsTable } from './schema.js';

type AuditRow = Insertable<AuditEventsTable> & Record<string, unknown>;

const COLUMNS = [
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
] as const satisfies readonly (keyof Insertable<AuditEventsTable>)[];

const insertEvent = compiledOnce(COLUMNS, (db, row: AuditRow) => db.insertInto('audit_events').values(row));

/**
 * Appends one event to its CLSM's chain: a single INSERT whose trigger takes the CLSM's lock and
 * computes seq and hash. It takes a Transaction so that the event commits or rolls back with the
 * action it records; the lock is then held until that transaction ends, so append last.
 */
export async function appendAudit(trx: Transaction<Database>, event: AuditEvent): Promise<void> {
  await insertEvent(trx, {
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
  });
}

/** Records an event on its own: for events that have no action to share a transaction with. */
export async function recordAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, event));
}
