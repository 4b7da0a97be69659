import type { Transaction } from 'kysely';
import { authorize, type Caller } from '../../access/authorize.js';
import { appendAudit } from '../../audit/append.js';
import { AuditedRefusal } from '../../kernel/refusal.js';
import { by } from '../../kernel/audit-events.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { sqlState, UNIQUE_VIOLATION } from '../../db/errors.js';
import { AppError } from '../../kernel/errors.js';
import { approvalNeeded, pendingRequest, type PendingRelease } from './approval.js';
import { canonicalJson, contentHash } from './canonical-json.js';
import { readActivity, readCaseFacts } from './fact-reader.js';
import { refreshRegionalRelease } from './regional-release.js';
import type { PublishedTable } from '../vocabulary/release-schema.js';
import { buildRelease } from '../disclosure/release.js';

// Releasing a year's bilan: once per CLSM and year, only once the year is over, frozen from then on,
// with a second person's approval when its inputs changed in bulk just before (docs/statistics.md,
// "Releasing a year"). Everything happens in one transaction: reading the facts, building and
// checking the release, storing it, the regional release it may bring, and the audit events.

export interface ReleaseSummary {
  year: number;
  catalogueVersion: string;
  contentHash: string;
  releasedAt: Date;
  tables: Pick<PublishedTable, 'id' | 'status'>[];
}

export type ReleaseAnswer =
  { status: 'released'; release: ReleaseSummary } | { status: 'approval_required'; request: PendingRelease };

const alreadyReleased = (year: number) =>
  new AppError('RELEASE_EXISTS', `the bilan of ${year} was already released; a released year never changes`);

/** The coordinator releases a past year, or asks for a second person's approval when it needs one. */
export async function releaseYear(ctx: AppContext, caller: Caller, year: number): Promise<ReleaseAnswer> {
  return ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'clsm', action: 'stats.release' });
    const now = ctx.clock.now();
    // A year still running would be published without its last months, and could not be released
    // again once complete: a second release of a year is what the freeze forbids.
    if (year >= now.getUTCFullYear()) {
      throw new AppError('YEAR_NOT_OVER', `${year} is not over yet: a bilan covers a whole calendar year`);
    }
    await assertNotReleased(trx, caller.clsmId, year);
    const request = await approvalNeeded(trx, caller, year, now, ctx.config.statistics);
    if (request !== undefined) return { status: 'approval_required', request };
    const release = await freeze(trx, caller, year, now, { releasedBy: caller.memberId, approvedBy: null });
    return { status: 'released', release };
  });
}

/** A second person approves the release someone else asked for; the year is released at once. */
export async function approveRelease(ctx: AppContext, caller: Caller, year: number): Promise<ReleaseSummary> {
  return ctx.db.transaction().execute(async (trx) => {
    const request = await pendingRequest(trx, caller.clsmId, year);
    authorize(ctx.policies, caller, {
      kind: 'clsm',
      action: 'stats.approve_release',
      isRequester: request?.requested_by === caller.memberId,
    });
    if (request === undefined) {
      throw new AuditedRefusal('NOT_FOUND', `no release of ${year} awaits approval`, {
        ...by(caller),
        type: 'access.denied',
        outcome: 'denied',
        reason: 'NOT_FOUND',
        action: 'stats.approve_release',
        resourceType: 'stats_release',
        resourceId: String(year),
      });
    }
    await assertNotReleased(trx, caller.clsmId, year);
    await appendAudit(trx, {
      ...by(caller),
      type: 'stats.release_approved',
      outcome: 'success',
      action: 'stats.approve_release',
      resourceType: 'stats_release',
      resourceId: String(year),
      subjectId: request.requested_by,
    });
    return freeze(trx, caller, year, ctx.clock.now(), {
      releasedBy: request.requested_by,
      approvedBy: caller.memberId,
    });
  });
}

async function assertNotReleased(trx: Transaction<Database>, clsmId: string, year: number): Promise<void> {
  const existing = await trx
    .selectFrom('stats.releases')
    .select('year')
    .where('clsm_id', '=', clsmId)
    .where('year', '=', year)
    .executeTakeFirst();
  if (existing !== undefined) throw alreadyReleased(year);
}

/** Builds, checks, stores and audits the release; the regional release follows in the same transaction. */
async function freeze(
  trx: Transaction<Database>,
  caller: Caller,
  year: number,
  now: Date,
  who: { releasedBy: string; approvedBy: string | null },
): Promise<ReleaseSummary> {
  const release = buildRelease({
    year,
    cases: await readCaseFacts(trx, caller.clsmId, year),
    activity: await readActivity(trx, caller.clsmId, year),
  });
  const hash = contentHash(release);
  try {
    await trx
      .insertInto('stats.releases')
      .values({
        clsm_id: caller.clsmId,
        year,
        catalogue_version: release.catalogueVersion,
        content: canonicalJson(release),
        content_hash: hash,
        released_at: now,
        released_by: who.releasedBy,
        approved_by: who.approvedBy,
      })
      .execute();
  } catch (err) {
    // A concurrent release of the same year committed first.
    if (sqlState(err) === UNIQUE_VIOLATION) throw alreadyReleased(year);
    throw err;
  }
  await refreshRegionalRelease(trx, year, now);
  await appendAudit(trx, {
    ...by(caller),
    type: 'stats.released',
    outcome: 'success',
    action: 'stats.release',
    resourceType: 'stats_release',
    resourceId: String(year),
  });
  return {
    year,
    catalogueVersion: release.catalogueVersion,
    contentHash: hash,
    releasedAt: now,
    tables: release.tables.map((t) => ({ id: t.id, status: t.status })),
  };
}
