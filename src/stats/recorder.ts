import { randomUUID } from 'node:crypto';
import { sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Decision, DeclineReason, Outcome } from './categories.js';
import { activityFactsSchema, type AttendanceFact } from './facts.js';
import { delayBand, durationBand, monthOf } from './months.js';
import type { PersonFacts } from './person-facts.js';
import type { CaseFactsTable } from './schema.js';

// The application's side of the statistics: each function writes coarse facts in the `stats`
// schema inside the caller's transaction, so that a fact commits or rolls back with the action it
// describes. Dates are reduced to months and bands here; nothing finer ever reaches `stats`. A
// case's facts are found through cases.stats_fact_id, which the statistics role cannot read.

type Trx = Transaction<Database>;

/** The facts row of a case, through the link only the application can follow. */
async function factIdOf(trx: Trx, clsmId: string, caseId: string): Promise<string> {
  const row = await trx
    .selectFrom('cases')
    .select('stats_fact_id')
    .where('clsm_id', '=', clsmId)
    .where('id', '=', caseId)
    .executeTakeFirst();
  // Every case gets its row at referral (and the migration gave one to older cases).
  if (row?.stats_fact_id == null) throw new Error('the case has no statistics facts row');
  return row.stats_fact_id;
}

const personColumns = (person: PersonFacts) => ({
  source: person.source,
  sex: person.sex,
  age_band: person.ageBand,
  housing: person.housing,
  household: person.household,
  problems: person.problems,
});

async function updateFacts(
  trx: Trx,
  clsmId: string,
  caseId: string,
  values: Updateable<CaseFactsTable>,
): Promise<void> {
  const id = await factIdOf(trx, clsmId, caseId);
  await trx
    .updateTable('stats.case_facts')
    .set(values)
    .where('clsm_id', '=', clsmId)
    .where('id', '=', id)
    .execute();
}

/**
 * A case is referred: creates its facts row (month of referral, and the person facts if declared)
 * and returns its random id, which the caller stores in cases.stats_fact_id.
 */
export async function recordReferral(
  trx: Trx,
  referral: { clsmId: string; referredAt: Date; person: PersonFacts | undefined },
): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('stats.case_facts')
    .values({
      clsm_id: referral.clsmId,
      id,
      referred_month: monthOf(referral.referredAt),
      ...(referral.person === undefined ? {} : personColumns(referral.person)),
    })
    .execute();
  return id;
}

/** Declares, or corrects, the person facts of a case; they replace what was declared before. */
export async function declarePersonFacts(
  trx: Trx,
  target: { clsmId: string; caseId: string },
  person: PersonFacts,
): Promise<void> {
  await updateFacts(trx, target.clsmId, target.caseId, personColumns(person));
}

/** The first sitting examined the case: its month and the delay band since the referral. Once only. */
export async function recordFirstReview(
  trx: Trx,
  review: { clsmId: string; caseId: string; referredAt: Date; at: Date },
): Promise<void> {
  const id = await factIdOf(trx, review.clsmId, review.caseId);
  await trx
    .updateTable('stats.case_facts')
    .set({
      first_review_month: monthOf(review.at),
      first_review_delay: delayBand(review.referredAt, review.at),
    })
    .where('clsm_id', '=', review.clsmId)
    .where('id', '=', id)
    .where('first_review_month', 'is', null)
    .execute();
}

/** The cellule declined the referral. */
export async function recordDecline(
  trx: Trx,
  decline: { clsmId: string; caseId: string; reason: DeclineReason },
): Promise<void> {
  await updateFacts(trx, decline.clsmId, decline.caseId, { decline_reason: decline.reason });
}

/** The case was closed: month, outcome, and the duration band since the referral. */
export async function recordClosure(
  trx: Trx,
  closure: { clsmId: string; caseId: string; outcome: Outcome; referredAt: Date; at: Date },
): Promise<void> {
  await updateFacts(trx, closure.clsmId, closure.caseId, {
    closure_month: monthOf(closure.at),
    outcome: closure.outcome,
    duration: durationBand(closure.referredAt, closure.at),
  });
}

/**
 * A sitting took a decision about a case. `at` is the date of that sitting; only its month is kept,
 * and the same category twice in one month counts once.
 */
export async function recordDecision(
  trx: Trx,
  decision: { clsmId: string; caseId: string; decision: Decision; at: Date },
): Promise<void> {
  await trx
    .insertInto('stats.case_decisions')
    .values({
      clsm_id: decision.clsmId,
      fact_id: await factIdOf(trx, decision.clsmId, decision.caseId),
      month: monthOf(decision.at),
      decision: decision.decision,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

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
