import { randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import { withSitting, type SittingRequest, type SittingScope } from '../unit-of-work/sitting-unit.js';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { authorize, wouldAllow, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { recordListRead } from '../audit/list-reads.js';
import { AppError, notFound } from '../kernel/errors.js';
import { recordAttendance, recordSittingHeld } from '../stats/recorder/sittings.js';
import type { PartnerCategory } from '../stats/vocabulary/categories.js';
import type { Attendance, SittingsTable } from './schema.js';
import { afterTimeAndId, microText, type TimeAndId } from '../http/paging.js';

// A sitting of the cellule: planned with its convened members, held (attendance recorded), then
// closed (its minutes frozen). The coordinator runs it; convened members see it.

export async function createSitting(
  ctx: AppContext,
  caller: Caller,
  input: { scheduledFor: Date; location: string; convened: string[] },
): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'clsm', action: 'sitting.create' });
    const convened = [...new Set(input.convened)];
    const known = await trx
      .selectFrom('members')
      .select('id')
      .where('clsm_id', '=', caller.clsmId)
      .where('status', '=', 'active')
      .where('id', 'in', convened.length > 0 ? convened : ['00000000-0000-0000-0000-000000000000'])
      .execute();
    if (known.length !== convened.length)
      throw new AppError('VALIDATION_FAILED', 'every convened member must be an active member of this CLSM');
    const id = randomUUID();
    await trx
      .insertInto('sittings')
      .values({
        clsm_id: caller.clsmId,
        id,
        scheduled_for: input.scheduledFor,
        location: input.location,
        created_by: caller.memberId,
        held_at: null,
        closed_at: null,
      })
      .execute();
    if (convened.length > 0) {
      await trx
        .insertInto('sitting_members')
        .values(
          convened.map((member_id) => ({
            clsm_id: caller.clsmId,
            sitting_id: id,
            member_id,
            attendance: null,
          })),
        )
        .execute();
    }
    await appendAudit(trx, {
      ...by(caller),
      type: 'sitting.created',
      outcome: 'success',
      resourceType: 'sitting',
      resourceId: id,
    });
    return id;
  });
}

/**
 * The situation of an agenda item, while the sitting is still open. The unit holds the sitting's row
 * `FOR SHARE` (`openItemRequest`): closing it waits until what is written here commits.
 */
export async function openItem(
  trx: Transaction<Database>,
  scope: SittingScope,
  itemId: string,
  frozen: string,
): Promise<string> {
  const item = await trx
    .selectFrom('agenda_items')
    .select('case_id')
    .where('clsm_id', '=', scope.caller.clsmId)
    .where('sitting_id', '=', scope.sitting.id)
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (item === undefined) throw notFound('agenda item');
  if (scope.sitting.status === 'closed') throw new AppError('MINUTES_FROZEN', frozen);
  return item.case_id;
}

/** What a write to an agenda item asks of its sitting: to see it, and to hold it open meanwhile. */
export const openItemRequest = (sittingId: string): SittingRequest => ({
  sittingId,
  action: 'sitting.read',
  lock: 'share',
});

/** One page (`limit + 1` rows after `after`, latest first) of the sittings the caller may see. */
export async function listSittings(
  ctx: AppContext,
  caller: Caller,
  page: { after: TimeAndId | undefined; limit: number },
): Promise<(Selectable<SittingsTable> & { at: string })[]> {
  // Whether the caller sees the sittings they are not convened to: asked of the policy.
  const probe = { kind: 'sitting', action: 'sitting.read', sittingId: caller.clsmId } as const;
  authorize(ctx.policies, caller, { ...probe, convened: true });
  const all = wouldAllow(ctx.policies, caller, { ...probe, convened: false });
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('sittings as s')
      .selectAll('s')
      .select(microText('s.scheduled_for').as('at'))
      .where('s.clsm_id', '=', caller.clsmId);
    if (!all) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('sitting_members as m')
            .select('m.member_id')
            .whereRef('m.clsm_id', '=', 's.clsm_id')
            .whereRef('m.sitting_id', '=', 's.id')
            .where('m.member_id', '=', caller.memberId),
        ),
      );
    }
    if (page.after !== undefined) q = q.where(afterTimeAndId('s.scheduled_for', 's.id', page.after, 'desc'));
    const rows = await q
      .orderBy('s.scheduled_for', 'desc')
      .orderBy('s.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    await recordListRead(trx, caller, 'sitting.read', []);
    return rows;
  });
}

export async function recordAttendanceOf(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  marks: { memberId: string; attendance: Attendance }[],
): Promise<void> {
  const request = { sittingId, action: 'sitting.manage', lock: 'update' } as const;
  await withSitting(ctx, caller, request, async (trx, scope) => {
    const { sitting } = scope;
    if (sitting.status === 'closed') throw new AppError('MINUTES_FROZEN', 'the sitting is closed');
    for (const mark of marks) {
      const updated = await trx
        .updateTable('sitting_members')
        .set({ attendance: mark.attendance })
        .where('clsm_id', '=', caller.clsmId)
        .where('sitting_id', '=', sittingId)
        .where('member_id', '=', mark.memberId)
        .returning('member_id')
        .executeTakeFirst();
      if (updated === undefined)
        throw new AppError('VALIDATION_FAILED', `member ${mark.memberId} was not convened`);
    }
    scope.audit({
      ...by(caller),
      type: 'sitting.attendance_recorded',
      outcome: 'success',
      resourceType: 'sitting',
      resourceId: sittingId,
    });
  });
}

/** planned -> held -> closed. Holding feeds the activity statistics; closing freezes the minutes. */
export async function advanceSitting(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  to: 'held' | 'closed',
): Promise<void> {
  const request = { sittingId, action: 'sitting.manage', lock: 'update' } as const;
  await withSitting(ctx, caller, request, async (trx, scope) => {
    const { sitting } = scope;
    const from = to === 'held' ? 'planned' : 'held';
    if (sitting.status !== from)
      throw new AppError('INVALID_TRANSITION', `a ${sitting.status} sitting cannot be ${to}`);
    const now = ctx.clock.now();
    await trx
      .updateTable('sittings')
      .set(to === 'held' ? { status: 'held', held_at: now } : { status: 'closed', closed_at: now })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', sittingId)
      .execute();
    if (to === 'held') {
      const seats = await trx
        .selectFrom('sitting_members as s')
        .innerJoin('members as m', (j) =>
          j.onRef('m.clsm_id', '=', 's.clsm_id').onRef('m.id', '=', 's.member_id'),
        )
        .select(['m.partner_category', 's.attendance'])
        .where('s.clsm_id', '=', caller.clsmId)
        .where('s.sitting_id', '=', sittingId)
        .execute();
      const byPartner = new Map<PartnerCategory, { expected: number; present: number }>();
      for (const seat of seats) {
        const partner = seat.partner_category ?? 'autre';
        const tally = byPartner.get(partner) ?? { expected: 0, present: 0 };
        tally.expected += 1;
        if (seat.attendance === 'present') tally.present += 1;
        byPartner.set(partner, tally);
      }
      await recordSittingHeld(trx, { clsmId: caller.clsmId, at: now });
      await recordAttendance(trx, {
        clsmId: caller.clsmId,
        at: now,
        seats: [...byPartner].map(([partner, t]) => ({ partner, ...t })),
      });
    }
    scope.audit({
      ...by(caller),
      type: to === 'held' ? 'sitting.held' : 'sitting.closed',
      outcome: 'success',
      resourceType: 'sitting',
      resourceId: sittingId,
    });
  });
}
