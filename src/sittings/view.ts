import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { seesAllCases, type Caller } from '../access/authorize.js';
import type { DecisionsTable, FollowUpActionsTable, SittingsTable } from './schema.js';
import { requireSitting } from './sittings.js';

export interface AgendaItemView {
  itemId: string;
  position: number;
  /** Absent for a situation the caller takes no part in: they see that one is there, nothing more. */
  case?: { id: string; reference: string; status: string };
  decisions: Selectable<DecisionsTable>[];
  actions: Selectable<FollowUpActionsTable>[];
}

export interface SittingView {
  sitting: Selectable<SittingsTable>;
  members: { memberId: string; attendance: string | null }[];
  agenda: AgendaItemView[];
}

/** A sitting as the caller may see it: each agenda item shows its situation only to its participants. */
export async function viewSitting(ctx: AppContext, caller: Caller, sittingId: string): Promise<SittingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const sitting = await requireSitting(trx, ctx, caller, sittingId);
    const all = seesAllCases(ctx.policies, caller);
    const members = await trx
      .selectFrom('sitting_members')
      .select(['member_id', 'attendance'])
      .where('clsm_id', '=', caller.clsmId)
      .where('sitting_id', '=', sittingId)
      .execute();
    const items = await trx
      .selectFrom('agenda_items as a')
      .innerJoin('cases as c', (j) => j.onRef('c.clsm_id', '=', 'a.clsm_id').onRef('c.id', '=', 'a.case_id'))
      .leftJoin('case_participants as p', (j) =>
        j
          .onRef('p.clsm_id', '=', 'a.clsm_id')
          .onRef('p.case_id', '=', 'a.case_id')
          .on('p.member_id', '=', caller.memberId)
          .on('p.removed_at', 'is', null),
      )
      .select(['a.id', 'a.position', 'c.id as case_id', 'c.reference', 'c.status', 'p.member_id'])
      .where('a.clsm_id', '=', caller.clsmId)
      .where('a.sitting_id', '=', sittingId)
      .orderBy('a.position')
      .execute();
    const visible = items.filter((i) => all || i.member_id !== null).map((i) => i.id);
    const [decisions, actions] =
      visible.length === 0
        ? [[], []]
        : [
            await trx
              .selectFrom('decisions')
              .selectAll()
              .where('clsm_id', '=', caller.clsmId)
              .where('agenda_item_id', 'in', visible)
              .orderBy('decided_at')
              .execute(),
            await trx
              .selectFrom('follow_up_actions')
              .selectAll()
              .where('clsm_id', '=', caller.clsmId)
              .where('agenda_item_id', 'in', visible)
              .orderBy('due_on')
              .execute(),
          ];
    return {
      sitting,
      members: members.map((m) => ({ memberId: m.member_id, attendance: m.attendance })),
      agenda: items.map((i) =>
        visible.includes(i.id)
          ? {
              itemId: i.id,
              position: i.position,
              case: { id: i.case_id, reference: i.reference, status: i.status },
              decisions: decisions.filter((d) => d.agenda_item_id === i.id),
              actions: actions.filter((a) => a.agenda_item_id === i.id),
            }
          : { itemId: i.id, position: i.position, decisions: [], actions: [] },
      ),
    };
  });
}
