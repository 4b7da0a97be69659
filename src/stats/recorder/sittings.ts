import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { activityFactsSchema, type AttendanceFact } from '../vocabulary/facts.js';
import { monthOf } from '../vocabulary/months.js';

// The cellule's activity for the bilan, written inside the sitting's transaction: sittings held and
// seats per partner category, added up per month. No case and no person is named here.

type Trx = Transaction<Database>;

/** A sitting of the cellule was held on `at`. Call it once per sitting. */
export async function recordSittingHeld(trx: Trx, sitting: { clsmId: string; at: Date }): Promise<void> {
  await trx
    .insertInto('stats.sittings_held')
    .values({ clsm_id: sitting.clsmId, month: monthOf(sitting.at), held: 1 })
    .onConflict((oc) =>
      oc.columns(['clsm_id', 'month']).doUpdateSet({ held: sql`stats.sittings_held.held + 1` }),
    )
    .execute();
}

/**
 * The seats of one sitting held on `at`, per partner category (an institution, never a person):
 * how many were convened and how many came. Call it once per sitting; counts add up over the month.
 */
export async function recordAttendance(
  trx: Trx,
  attendance: { clsmId: string; at: Date; seats: readonly AttendanceFact[] },
): Promise<void> {
  const seats = activityFactsSchema.shape.attendance.parse(attendance.seats);
  if (seats.length === 0) return;
  await trx
    .insertInto('stats.attendance')
    .values(
      seats.map((s) => ({
        clsm_id: attendance.clsmId,
        month: monthOf(attendance.at),
        partner: s.partner,
        expected: s.expected,
        present: s.present,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['clsm_id', 'month', 'partner']).doUpdateSet({
        expected: sql`stats.attendance.expected + excluded.expected`,
        present: sql`stats.attendance.present + excluded.present`,
      }),
    )
    .execute();
}
