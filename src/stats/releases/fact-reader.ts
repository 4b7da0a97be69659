import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActivityFacts, CaseFact } from '../vocabulary/facts.js';
import type { ReleaseFactRow } from '../schema.js';

// What a release of one year is built from, read by the application's role inside the release's
// transaction. The case facts come from stats.release_facts (migrations/2026113003), which leaves
// out, since the engine has no identifier to tell:
// - a case whose person objected to statistical use (the latest consent record of the case, by
//   seq, the order access uses, says so): left out of every count table;
// - a case whose person facts were never declared, which cannot be placed in the tables.
// Both still count among the referrals received, an activity figure. The function answers without
// ids, in the order of the content, and only for a year not yet released.

const monthsOf = (year: number) => ({ first: `${year}-01`, last: `${year}-12` });

export async function readCaseFacts(
  trx: Transaction<Database>,
  clsmId: string,
  year: number,
): Promise<CaseFact[]> {
  const result = await sql<ReleaseFactRow>`select * from stats.release_facts(${clsmId}, ${year})`.execute(
    trx,
  );
  return result.rows.map(toCaseFact);
}

function toCaseFact(row: ReleaseFactRow): CaseFact {
  const { source, sex, age_band: ageBand, housing, household, problems } = row;
  // The table's CHECK keeps the person facts all declared or all NULL; the function took declared ones.
  if (
    source === null ||
    sex === null ||
    ageBand === null ||
    housing === null ||
    household === null ||
    problems === null
  ) {
    throw new Error('an undeclared case fact was selected');
  }
  return {
    referredMonth: row.referred_month,
    source,
    sex,
    ageBand,
    housing,
    household,
    problems,
    ...(row.decline_reason === null ? {} : { declineReason: row.decline_reason }),
    ...(row.first_review_month === null || row.first_review_delay === null
      ? {}
      : { firstReview: { month: row.first_review_month, delay: row.first_review_delay } }),
    decisions: row.decisions,
    ...(row.closure_month === null || row.outcome === null || row.duration === null
      ? {}
      : { closure: { month: row.closure_month, outcome: row.outcome, duration: row.duration } }),
  };
}

export async function readActivity(
  trx: Transaction<Database>,
  clsmId: string,
  year: number,
): Promise<ActivityFacts> {
  const { first, last } = monthsOf(year);
  const referrals = await sql<{ n: number }>`
    select stats.referrals_received(${clsmId}, ${year}) as n`.execute(trx);
  const sittings = await trx
    .selectFrom('stats.sittings_held')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('held'), eb.lit(0)).as('n'))
    .where('clsm_id', '=', clsmId)
    .where('month', '>=', first)
    .where('month', '<=', last)
    .executeTakeFirstOrThrow();
  const attendance = await trx
    .selectFrom('stats.attendance')
    .select((eb) => [
      'partner',
      eb.fn.sum<number>('expected').as('expected'),
      eb.fn.sum<number>('present').as('present'),
    ])
    .where('clsm_id', '=', clsmId)
    .where('month', '>=', first)
    .where('month', '<=', last)
    .groupBy('partner')
    .orderBy('partner')
    .execute();
  return {
    sittingsHeld: sittings.n,
    referralsReceived: referrals.rows[0]?.n ?? 0,
    attendance,
  };
}
