import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { recordListRead } from '../audit/list-reads.js';
import { afterDateAndId, type DateAndId } from '../http/paging.js';

// The lists of follow-up actions: a member's own, and the coordinator's watch list of overdue ones.
// Each read is recorded, once per situation it names.

/** Today as a calendar date, by the business clock. */
export function today(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

/** Where a page of actions starts (after `after`) and how many rows it reads (`limit + 1`). */
interface ActionPage {
  after: DateAndId | undefined;
  limit: number;
}

/** "My actions": what is assigned to the caller across situations, by due date (so overdue first), one page. */
export async function myActions(ctx: AppContext, caller: Caller, page: ActionPage) {
  authorize(ctx.policies, caller, { kind: 'clsm', action: 'action.list_mine' });
  const rows = await ctx.db.transaction().execute(async (trx) => {
    let q = trx
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
      .where('c.purged_at', 'is', null);
    if (page.after !== undefined) q = q.where(afterDateAndId('a.due_on', 'a.id', page.after));
    const found = await q
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(page.limit + 1)
      .execute();
    await recordListRead(
      trx,
      caller,
      'action.list_mine',
      found.slice(0, page.limit).map((r) => r.case_id),
    );
    return found;
  });
  const now = today(ctx);
  return rows.map((r) => ({ ...r, overdue: r.due_on < now }));
}

/** The coordinator's watch list: overdue actions of the CLSM, references and dates only, one page. */
export async function overdueActions(ctx: AppContext, caller: Caller, page: ActionPage) {
  authorize(ctx.policies, caller, { kind: 'clsm', action: 'action.list_overdue' });
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('follow_up_actions as a')
      .innerJoin('cases as c', (j) => j.onRef('c.clsm_id', '=', 'a.clsm_id').onRef('c.id', '=', 'a.case_id'))
      .select(['a.id', 'a.case_id', 'c.reference', 'a.due_on'])
      .where('a.clsm_id', '=', caller.clsmId)
      .where('a.status', '=', 'open')
      .where('a.due_on', '<', today(ctx))
      .where('c.purged_at', 'is', null);
    if (page.after !== undefined) q = q.where(afterDateAndId('a.due_on', 'a.id', page.after));
    const rows = await q
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(page.limit + 1)
      .execute();
    await recordListRead(
      trx,
      caller,
      'action.list_overdue',
      rows.slice(0, page.limit).map((r) => r.case_id),
    );
    return rows;
  });
}
