import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { allowsOnAnyCase, type Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { withCase, type UnitContext } from '../unit-of-work/case-unit.js';

// The person knows their situation by its reference (say 2026-0007), not by its id: those who answer
// "who looked at my file?" (coordinator, DPO) find the situation by it, and nothing more than its id.
// Whoever may not read the report of a situation they take no part in learns nothing, not even that
// the reference exists: the same "not found" as an unknown one (docs/adr/0023).

export async function situationByReference(
  ctx: UnitContext,
  caller: Caller,
  reference: string,
): Promise<{ id: string; reference: string }> {
  const action = 'case.access_report';
  const notFound = () =>
    new AuditedRefusal('NOT_FOUND', 'case not found', {
      ...by(caller),
      type: 'access.denied',
      outcome: 'denied',
      reason: 'NOT_FOUND',
      action,
      resourceType: 'case',
      resourceId: reference,
    });
  if (!allowsOnAnyCase(ctx.policies, caller, action)) throw notFound();
  const caseId = async (trx: Transaction<Database>) => {
    const row = await trx
      .selectFrom('cases')
      .select('id')
      .where('clsm_id', '=', caller.clsmId)
      .where('reference', '=', reference)
      .executeTakeFirst();
    if (row === undefined) throw notFound();
    return row.id;
  };
  // No event when found: the lookup shows no content, and the report read next is recorded.
  return withCase(ctx, caller, { caseId, action, evenPurged: true }, (_trx, scope) =>
    Promise.resolve({ id: scope.state.row.id, reference: scope.state.row.reference }),
  );
}
