import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { recordListRead } from '../audit/list-reads.js';

// The lists of follow-up actions: a member's own, and the coordinator's watch list of overdue ones.
// Each read is recorded, once per situation it names.

/** Today as a calendar date, by the business clock. */
export function today(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

/** "My actions": what is assigned to the caller across situations, overdue first. */
export async function myActions(ctx: AppContext, caller: Caller) {
  authorize(ctx.policies, caller, { kind: 'tenant', action: 'action.list_mine' });
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('follow_up_actions as a')
      .innerJoin('cases as c', (j) => j.onRef('c.clsm_id', '=', 'a.clsm_id').onRef('c.id', '=', 'a.case_id'))
      .innerJoin('case_participants as p', (j) =>
        j
          .onRef('p.clsm_id', '=', 'a.clsm_id')
          .onRef('p.case_id', '=', 'a.case_id')
          .onRef('p.member_id', '=', 'a.assignee_id'),
      )
      .select(['a.id', 'a.case_id', 'c.reference', 'a.due_on', 'a.status', 'a.description_entry_id'])
      .where('a.clsm_id', '=', caller.clsmId)
      .where('a.assignee_id', '=', caller.memberId)
      .where('a.status', '=', 'open')
      .where('p.removed_at', 'is', null)
      .where('c.purged_at', 'is', null)
      .orderBy('a.due_on')
      .execute();
    await recordListRead(
      trx,
      caller,
      'action.list_mine',
      found.map((r) => r.case_id),
    );
    return found;
  });
  const now = today(ctx);
  return rows.map((r) => ({ ...r, overdue: r.due_on < now }));
}

/** The coordinator's watch list: overdue actions of the CLSM, references and dates only. */
export async function overdueActions(ctx: AppContext, caller: Caller) {
  authorize(ctx.policies, caller, { kind: 'tenant', action: 'action.list_overdue' });
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('follow_up_actions as a')
      .innerJoin('cases as c', (j) => j.onRef('c.clsm_id', '=', 'a.clsm_id').onRef('c.id', '=', 'a.case_id'))
      .select(['a.id', 'a.case_id', 'c.reference', 'a.due_on'])
      .where('a.clsm_id', '=', caller.clsmId)
      .where('a.status', '=', 'open')
      .where('a.due_on', '<', today(ctx))
      .where('c.purged_at', 'is', null)
      .orderBy('a.due_on')
      .execute();
    await recordListRead(
      trx,
      caller,
      'action.list_overdue',
      rows.map((r) => r.case_id),
    );
    return rows;
  });
}
