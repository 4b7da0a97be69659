import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { factsFor, requireCase } from '../access/case-state.js';
import { isActive } from '../cases/lifecycle.js';
import { writeEntry, type EntryInput } from '../entries/write.js';
import { requireOpenItem, requireSitting } from './sittings.js';

/** The coordinator puts an accepted situation on a sitting's agenda. */
export async function addAgendaItem(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  caseId: string,
): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const sitting = await requireSitting(trx, ctx, caller, sittingId, true);
    const state = await requireCase(
      trx,
      ctx.policies,
      caller,
      caseId,
      ctx.clock.now(),
      'sitting.schedule_case',
    );
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'sitting.schedule_case',
      facts: factsFor(state, caller),
    });
    if (sitting.status === 'closed') throw new AppError('MINUTES_FROZEN', 'the sitting is closed');
    if (!isActive(state.row.status))
      throw new AppError(
        'INVALID_TRANSITION',
        `only accepted situations go on the agenda (this one is ${state.row.status})`,
      );
    const id = randomUUID();
    const inserted = await trx
      .insertInto('agenda_items')
      .values((eb) => ({
        clsm_id: caller.clsmId,
        id,
        sitting_id: sittingId,
        case_id: caseId,
        position: eb
          .selectFrom('agenda_items')
          .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
          .where('clsm_id', '=', caller.clsmId)
          .where('sitting_id', '=', sittingId),
      }))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) throw new AppError('CONFLICT', 'this situation is already on the agenda');
    await appendAudit(trx, {
      ...by(caller),
      type: 'sitting.agenda_changed',
      outcome: 'success',
      caseId,
      resourceType: 'sitting',
      resourceId: sittingId,
    });
    return id;
  });
}

/**
 * Minutes of one agenda item: an encrypted entry of the case's committee compartment that refers to
 * the item. Once the sitting is closed the database refuses them (trigger minutes_check); a
 * correction is then a new entry of kind 'correction' that refers to the original.
 */
export async function writeMinutes(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  itemId: string,
  entry: Omit<EntryInput, 'kind' | 'refersTo'>,
): Promise<Date> {
  const { caseId } = await ctx.db
    .transaction()
    .execute((trx) => requireOpenItem(trx, ctx, caller, sittingId, itemId, FROZEN_MINUTES));
  try {
    return (
      await writeEntry(ctx, caller, caseId, 'committee', {
        ...entry,
        kind: 'minutes',
        refersTo: itemId,
      })
    ).createdAt;
  } catch (err) {
    // The sitting was closed between the check above and the write: the database had the last word.
    if (err instanceof Error && err.message.includes('MINUTES_FROZEN')) {
      throw new AppError('MINUTES_FROZEN', FROZEN_MINUTES);
    }
    throw err;
  }
}

const FROZEN_MINUTES =
  'the sitting is closed: its minutes are frozen; write a correction that refers to them';
