import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ActivityFacts, CaseFact } from './facts.js';
import type { CaseFactsTable } from './schema.js';

// What a release of one year is built from, read by the application's role inside the release's
// transaction. Two exclusions happen here, since the engine has no identifier to tell:
// - a case whose person objected to statistical use (the latest consent record of the case says
//   so) is left out of every count table;
// - a case whose person facts were never declared cannot be placed in the tables and is left out too.
// Both still count among the referrals received, an activity figure.

const monthsOf = (year: number) => ({ first: `${year}-01`, last: `${year}-12` });

type FactRow = CaseFactsTable & { decisions: { month: string; decision: string }[] };

export async function readCaseFacts(
  trx: Transaction<Database>,
  clsmId: string,
  year: number,
): Promise<CaseFact[]> {
  const { first, last } = monthsOf(year);
  const inYear = (column: string) => sql`${sql.ref(column)} between ${first} and ${last}`;
  const result = await sql<FactRow>`
    with objected as (
      select c.stats_fact_id as id
        from cases c
        join lateral (select r.statistics_objection from consent_records r
                       where r.clsm_id = c.clsm_id and r.case_id = c.id
                       order by r.recorded_at desc, r.id desc limit 1) latest on true
       where c.clsm_id = ${clsmId} and latest.statistics_objection
    ),
    decisions as (
      select d.fact_id, json_agg(json_build_object('month', d.month, 'decision', d.decision)) as list,
             bool_or(${inYear('d.month')}) as in_year
        from stats.case_decisions d where d.clsm_id = ${clsmId} group by d.fact_id
    )
    select f.*, coalesce(d.list, '[]'::json) as decisions
      from stats.case_facts f
      left join decisions d on d.fact_id = f.id
     where f.clsm_id = ${clsmId}
       and f.source is not null
       and (${inYear('f.referred_month')} or ${inYear('f.first_review_month')}
            or ${inYear('f.closure_month')} or coalesce(d.in_year, false))
       and not exists (select 1 from objected o where o.id = f.id)`.execute(trx);
  return result.rows.map(toCaseFact);
}

function toCaseFact(row: FactRow): CaseFact {
  const { source, sex, age_band: ageBand, housing, household, problems } = row;
  // The table's CHECK keeps the person facts all declared or all NULL; the query took declared ones.
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
    decisions: row.decisions as CaseFact['decisions'],
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
  const referrals = await trx
    .selectFrom('stats.case_facts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clsm_id', '=', clsmId)
    .where('referred_month', '>=', first)
    .where('referred_month', '<=', last)
    .executeTakeFirstOrThrow();
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
    referralsReceived: referrals.n,
    attendance,
  };
}
