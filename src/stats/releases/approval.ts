import type { Transaction } from 'kysely';
import type { Caller } from '../../access/authorize.js';
import { appendAudit } from '../../audit/append.js';
import { by } from '../../kernel/audit-events.js';
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/schema.js';

// A coordinator can refer situations of their own and describe them as they choose. Enough such
// fakes around one real person, and the published tables, which the LP check protects against an
// outsider, tell the coordinator that person's categories by difference with the fakes they know. A
// release whose inputs changed in bulk just before it therefore waits for a second person
// (docs/statistics.md, "Releasing a year"): how many situations had their person's categories
// declared or changed in the window before the release, by the business clock.

export interface PendingRelease {
  year: number;
  requestedBy: string;
  requestedAt: Date;
  /** Situations described in the window when the release was first asked for: why it waits. */
  changedSituations: number;
  windowDays: number;
  threshold: number;
}

/** Situations of the CLSM whose person's categories were declared or changed in the window. */
async function changedSituations(
  trx: Transaction<Database>,
  clsmId: string,
  now: Date,
  windowDays: number,
): Promise<number> {
  const row = await trx
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('clsm_id', '=', clsmId)
    .where('purged_at', 'is', null)
    .where('categories_changed_at', '>', new Date(now.getTime() - windowDays * 86_400_000))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Whether the release of `year` needs a second person: it does when enough situations changed in
 * the window, and from then on until someone approves it (waiting out the window does not release
 * the year alone). Records the request once per CLSM and year, and each time it is asked.
 */
export async function approvalNeeded(
  trx: Transaction<Database>,
  caller: Caller,
  year: number,
  now: Date,
  config: Config['statistics'],
): Promise<PendingRelease | undefined> {
  const windowDays = config.approvalWindowDays;
  let request = await pendingRequest(trx, caller.clsmId, year);
  if (request === undefined) {
    const changed = await changedSituations(trx, caller.clsmId, now, windowDays);
    if (changed < config.approvalThreshold) return undefined;
    request = { requested_by: caller.memberId, requested_at: now, changed_situations: changed };
    await trx
      .insertInto('stats.release_requests')
      .values({ clsm_id: caller.clsmId, year, ...request })
      // A concurrent request committed first: the answer below is ours, the stored one is theirs.
      .onConflict((oc) => oc.columns(['clsm_id', 'year']).doNothing())
      .execute();
  }
  await appendAudit(trx, {
    ...by(caller),
    type: 'stats.release_requested',
    outcome: 'success',
    action: 'stats.release',
    resourceType: 'stats_release',
    resourceId: String(year),
  });
  return {
    year,
    requestedBy: request.requested_by,
    requestedAt: request.requested_at,
    changedSituations: request.changed_situations,
    windowDays,
    threshold: config.approvalThreshold,
  };
}

/** The request for the release of `year`, if one was made. */
export async function pendingRequest(trx: Transaction<Database>, clsmId: string, year: number) {
  return trx
    .selectFrom('stats.release_requests')
    .select(['requested_by', 'requested_at', 'changed_situations'])
    .where('clsm_id', '=', clsmId)
    .where('year', '=', year)
    .executeTakeFirst();
}
