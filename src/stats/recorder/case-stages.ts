import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Decision, DeclineReason, Outcome } from '../vocabulary/categories.js';
import { delayBand, durationBand, monthOf } from '../vocabulary/months.js';
import type { PersonFacts } from '../vocabulary/person-facts.js';

// The application's side of the statistics: each function writes coarse facts in the `stats`
// schema inside the caller's transaction, so that a fact commits or rolls back with the action it
// describes. Dates are reduced to months and bands here; nothing finer ever reaches `stats`. A
// case's facts are written through functions of the `stats` schema that take the case id and find
// its facts row through a link the application role cannot read (migrations/2026113003): the
// application never learns which row belongs to which case.

type Trx = Transaction<Database>;

/** A case is referred: its facts row, holding the month of referral, and its link. */
export async function recordReferral(
  trx: Trx,
  referral: { clsmId: string; caseId: string; referredAt: Date },
): Promise<void> {
  await sql`select stats.record_referral(${referral.clsmId}, ${referral.caseId}, ${monthOf(referral.referredAt)})`.execute(
    trx,
  );
}

/**
 * Declares, or corrects, the person facts of a case; they replace what was declared before. `at`
 * (the business clock) is kept on the case: how many situations were described just before a
 * release decides whether it needs a second person (src/stats/approval.ts).
 */
export async function declarePersonFacts(
  trx: Trx,
  target: { clsmId: string; caseId: string; at: Date },
  person: PersonFacts,
): Promise<void> {
  const { clsmId, caseId } = target;
  await sql`select stats.declare_person(${clsmId}, ${caseId}, ${person.source}, ${person.sex},
    ${person.ageBand}, ${person.housing}, ${person.household}, ${person.problems}::text[])`.execute(trx);
  await trx
    .updateTable('cases')
    .set({ categories_changed_at: target.at })
    .where('clsm_id', '=', clsmId)
    .where('id', '=', caseId)
    .execute();
}

/** The first sitting examined the case: its month and the delay band since the referral. Once only. */
export async function recordFirstReview(
  trx: Trx,
  review: { clsmId: string; caseId: string; referredAt: Date; at: Date },
): Promise<void> {
  await sql`select stats.record_first_review(${review.clsmId}, ${review.caseId}, ${monthOf(review.at)},
    ${delayBand(review.referredAt, review.at)})`.execute(trx);
}

/** The cellule declined the referral. */
export async function recordDecline(
  trx: Trx,
  decline: { clsmId: string; caseId: string; reason: DeclineReason },
): Promise<void> {
  await sql`select stats.record_decline(${decline.clsmId}, ${decline.caseId}, ${decline.reason})`.execute(
    trx,
  );
}

/** The case was closed: month, outcome, and the duration band since the referral. */
export async function recordClosure(
  trx: Trx,
  closure: { clsmId: string; caseId: string; outcome: Outcome; referredAt: Date; at: Date },
): Promise<void> {
  await sql`select stats.record_closure(${closure.clsmId}, ${closure.caseId}, ${monthOf(closure.at)},
    ${closure.outcome}, ${durationBand(closure.referredAt, closure.at)})`.execute(trx);
}

/**
 * A sitting took a decision about a case. `at` is the date of that sitting; only its month is kept,
 * and the same category twice in one month counts once.
 */
export async function recordDecision(
  trx: Trx,
  decision: { clsmId: string; caseId: string; decision: Decision; at: Date },
): Promise<void> {
  await sql`select stats.record_decision(${decision.clsmId}, ${decision.caseId}, ${monthOf(decision.at)},
    ${decision.decision})`.execute(trx);
}

/**
 * The case was purged (src/cases/purge.ts): its link to its facts is removed and no category stays
 * on the tombstone; if the person objected, their facts keep only the month of referral.
 */
export async function forgetCase(trx: Trx, purged: { clsmId: string; caseId: string }): Promise<void> {
  await sql`select stats.forget_case(${purged.clsmId}, ${purged.caseId})`.execute(trx);
}
