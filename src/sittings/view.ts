import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import type { DecisionsTable, FollowUpActionsTable, SittingsTable } from './schema.js';
import { withSitting } from '../unit-of-work/sitting-unit.js';

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
  return withSitting(ctx, caller, { sittingId, action: 'sitting.read' }, async (trx, scope) => {
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
      const shownCase = await scope.agendaView(item.case_id);
      if (shownCase === undefined) {
        agenda.push(masked);
        continue;
      }
      const { state } = shownCase;
      shown.push(item.case_id);
      const named = {
        ...masked,
        case: { id: state.row.id, reference: state.row.reference, status: state.row.status },
      };
      if (!shownCase.decisions) {
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
    scope.audit({ ...read, resourceId: sittingId });
    for (const caseId of new Set(shown)) scope.audit({ ...read, resourceId: sittingId, caseId });
    return {
      sitting: scope.sitting,
      members: members.map((m) => ({ memberId: m.member_id, attendance: m.attendance })),
      agenda,
    };
  });
}
