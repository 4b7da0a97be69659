import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SittingAction } from '../kernel/actions.js';
import { authorize, wouldAllow, type Caller } from '../access/authorize.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by } from '../kernel/audit-events.js';
import { factsFor, loadCaseState, type CaseState } from '../access/case-state.js';
import type { SittingsTable } from '../sittings/schema.js';
import type { AuditSink } from './audit-buffer.js';
import { openCase, type CaseRequest, type CaseScope, type UnitContext } from './case-unit.js';
import { inUnit } from './unit.js';

// One unit of work on one sitting: the transaction, the sitting (locked when the work changes it or
// writes to its minutes), the gate's decision from whether the caller is convened, and the audit
// events appended last. Situations on its agenda open in the same unit.

export interface SittingRequest {
  sittingId: string;
  /** `sitting.manage` (the coordinator running it) is asked of the gate once the sitting is seen. */
  action: SittingAction | 'sitting.manage';
  /** `update` when the work changes the sitting; `share` while it writes what closing would freeze. */
  lock?: 'share' | 'update';
}

export interface SittingScope extends AuditSink {
  readonly caller: Caller;
  readonly sitting: Selectable<SittingsTable>;
  /** A situation of this sitting's agenda, opened in the same transaction with the same events. */
  openCase<F = undefined>(request: CaseRequest<F>): Promise<CaseScope<F>>;
  /**
   * What the caller is shown of a situation on the agenda, as the gate decides from its facts:
   * undefined if it is not named to them (case.read), else its state and whether its decisions and
   * follow-up actions are shown (sitting.read_decisions, which follows the committee compartment).
   */
  agendaView(caseId: string): Promise<{ state: CaseState; decisions: boolean } | undefined>;
}

export async function withSitting<T>(
  ctx: UnitContext,
  caller: Caller,
  request: SittingRequest,
  work: (trx: Transaction<Database>, scope: SittingScope) => Promise<T>,
): Promise<T> {
  return inUnit(ctx.db, async (trx, sink) => {
    const sitting = await findSitting(trx, ctx, caller, request);
    if (request.action === 'sitting.manage') {
      authorize(ctx.policies, caller, { kind: 'clsm', action: 'sitting.manage' });
    }
    return work(trx, {
      caller,
      sitting,
      audit: (event) => {
        sink.audit(event);
      },
      openCase: (caseRequest) => openCase(trx, ctx, caller, caseRequest, sink),
      agendaView: async (caseId) => {
        const state = await loadCaseState(trx, caller.clsmId, caseId, ctx.clock.now());
        if (state === undefined) return undefined;
        const facts = factsFor(state, caller);
        if (!wouldAllow(ctx.policies, caller, { kind: 'case', action: 'case.read', facts })) return undefined;
        const decisions = wouldAllow(ctx.policies, caller, {
          kind: 'compartment',
          action: 'sitting.read_decisions',
          facts,
          compartment: 'committee',
        });
        return { state, decisions };
      },
    });
  });
}

/**
 * A sitting the caller may see, as the policy decides from whether they are convened to it (the
 * coordinator sees all). An unknown sitting and one the caller may not know of end the same way:
 * "not found", recorded, like for a case.
 */
async function findSitting(
  trx: Transaction<Database>,
  ctx: UnitContext,
  caller: Caller,
  request: SittingRequest,
): Promise<Selectable<SittingsTable>> {
  const { sittingId } = request;
  let q = trx
    .selectFrom('sittings')
    .selectAll()
    .where('clsm_id', '=', caller.clsmId)
    .where('id', '=', sittingId);
  if (request.lock === 'update') q = q.forUpdate();
  if (request.lock === 'share') q = q.forShare();
  const sitting = await q.executeTakeFirst();
  const convened =
    (await trx
      .selectFrom('sitting_members')
      .select('member_id')
      .where('clsm_id', '=', caller.clsmId)
      .where('sitting_id', '=', sittingId)
      .where('member_id', '=', caller.memberId)
      .executeTakeFirst()) !== undefined;
  authorize(ctx.policies, caller, { kind: 'sitting', action: 'sitting.read', sittingId, convened });
  if (sitting === undefined) {
    throw new AuditedRefusal('NOT_FOUND', 'sitting not found', {
      ...by(caller),
      type: 'access.denied',
      outcome: 'denied',
      reason: 'NOT_FOUND',
      action: 'sitting.read',
      resourceType: 'sitting',
      resourceId: sittingId,
    });
  }
  return sitting;
}
