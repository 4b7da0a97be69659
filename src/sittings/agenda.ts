import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { isActive } from '../cases/lifecycle.js';
import { storeEntry, type EntryInput } from '../entries/write.js';
import { withSitting } from '../unit-of-work/sitting-unit.js';
import { openItem, openItemRequest } from './sittings.js';

/** The coordinator puts an accepted situation on a sitting's agenda. */
export async function addAgendaItem(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  caseId: string,
): Promise<string> {
  const request = { sittingId, action: 'sitting.read', lock: 'update' } as const;
  return withSitting(ctx, caller, request, async (trx, scope) => {
    const { sitting } = scope;
    const { state } = await scope.openCase({ caseId, action: 'sitting.schedule_case' });
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
    scope.audit({
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
 * the item, written while the sitting's row is held open (closing waits for it). Once the sitting is
 * closed they are refused here, and by the database too (trigger minutes_check); a correction is
 * then a new entry of kind 'correction' that refers to the original.
 */
export async function writeMinutes(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  itemId: string,
  entry: Omit<EntryInput, 'kind' | 'refersTo'>,
): Promise<Date> {
  return withSitting(ctx, caller, openItemRequest(sittingId), async (trx, sitting) => {
    const caseId = await openItem(trx, sitting, itemId, FROZEN_MINUTES);
    const scope = await sitting.openCase({ caseId, action: 'compartment.write', compartment: 'committee' });
    const entryOfItem = { ...entry, kind: 'minutes' as const, refersTo: itemId };
    return (await storeEntry(trx, scope, 'committee', entryOfItem)).createdAt;
  });
}

const FROZEN_MINUTES =
  'the sitting is closed: its minutes are frozen; write a correction that refers to them';
