import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { wouldAllow, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { factsFor, loadCaseState } from '../access/case-state.js';
import type { DecisionsTable, FollowUpActionsTable, SittingsTable } from './schema.js';
import { requireSitting } from './sittings.js';

export interface AgendaItemView {
  itemId: string;
  position: number;
  /** Absent for a situation the caller may not read: they see that one is there, nothing more. */
  case?: { id: string; reference: string; status: string };
  /** Empty unless the policy shows the caller this situation's decisions (sitting.read_decisions). */
  decisions: Selectable<DecisionsTable>[];
  actions: Selectable<FollowUpActionsTable>[];
}

export interface SittingView {
  sitting: Selectable<SittingsTable>;
  members: { memberId: string; attendance: string | null }[];
  agenda: AgendaItemView[];
}

/**
 * A sitting as the caller may see it. For each agenda item the policy decides, from the caller's
 * relation to its situation, whether it is named (case.read) and whether its decisions and
 * follow-up actions are shown (sitting.read_decisions, which follows the committee compartment).
 * Each situation shown is recorded as read.
 */
export async function viewSitting(ctx: AppContext, caller: Caller, sittingId: string): Promise<SittingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const sitting = await requireSitting(trx, ctx, caller, sittingId);
    const now = ctx.clock.now();
    const members = await trx
      .selectFrom('sitting_members')
      .select(['member_id', 'attendance'])
      .where('clsm_id', '=', caller.clsmId)
      .where('sitting_id', '=', sittingId)
      .execute();
    const items = await trx
      .selectFrom('agenda_items')
      .select(['id', 'position', 'case_id'])
      .where('clsm_id', '=', caller.clsmId)
      .where('sitting_id', '=', sittingId)
      .orderBy('position')
      .execute();
    const agenda: AgendaItemView[] = [];
    const shown: string[] = [];
    for (const item of items) {
      const masked: AgendaItemView = { itemId: item.id, position: item.position, decisions: [], actions: [] };
      const state = await loadCaseState(trx, caller.clsmId, item.case_id, now);
      if (state === undefined) {
        agenda.push(masked);
        continue;
      }
      const facts = factsFor(state, caller);
      if (!wouldAllow(ctx.policies, caller, { kind: 'case', action: 'case.read', facts })) {
        agenda.push(masked);
        continue;
      }
      shown.push(item.case_id);
      const named = {
        ...masked,
        case: { id: state.row.id, reference: state.row.reference, status: state.row.status },
      };
      const decisionsShown = wouldAllow(ctx.policies, caller, {
        kind: 'compartment',
        action: 'sitting.read_decisions',
        facts,
        compartment: 'committee',
      });
      if (!decisionsShown) {
        agenda.push(named);
        continue;
      }
      const [decisions, actions] = [
        await trx
          .selectFrom('decisions')
          .selectAll()
          .where('clsm_id', '=', caller.clsmId)
          .where('agenda_item_id', '=', item.id)
          .orderBy('decided_at')
          .execute(),
        await trx
          .selectFrom('follow_up_actions')
          .selectAll()
          .where('clsm_id', '=', caller.clsmId)
          .where('agenda_item_id', '=', item.id)
          .orderBy('due_on')
          .execute(),
      ];
      agenda.push({ ...named, decisions, actions });
    }
    const read = {
      ...by(caller),
      type: 'sitting.read',
      outcome: 'success',
      resourceType: 'sitting',
    } as const;
    await appendAudit(trx, { ...read, resourceId: sittingId });
    for (const caseId of new Set(shown)) await appendAudit(trx, { ...read, resourceId: sittingId, caseId });
    return {
      sitting,
      members: members.map((m) => ({ memberId: m.member_id, attendance: m.attendance })),
      agenda,
    };
  });
}
