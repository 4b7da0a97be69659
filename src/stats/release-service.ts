import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../audit/events.js';
import type { AppContext } from '../context.js';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { AppError } from '../http/errors.js';
import { canonicalJson, contentHash } from './canonical-json.js';
import { readActivity, readCaseFacts } from './fact-reader.js';
import type { PublishedTable } from './release-schema.js';
import { buildRelease } from './release.js';

// Releasing a year's bilan: once per CLSM and year, only once the year is over, frozen from then on
// (docs/statistics.md, "Releasing a year"). Everything happens in one transaction: reading the
// facts, building and checking the release, storing it, and its audit event.

export interface ReleaseSummary {
  year: number;
  catalogueVersion: string;
  contentHash: string;
  releasedAt: Date;
  tables: Pick<PublishedTable, 'id' | 'status'>[];
}

const alreadyReleased = (year: number) =>
  new AppError('RELEASE_EXISTS', `the bilan of ${year} was already released; a released year never changes`);

export async function releaseYear(ctx: AppContext, caller: Caller, year: number): Promise<ReleaseSummary> {
  return ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'tenant', action: 'stats.release' });
    const now = ctx.clock.now();
    // A year still running would be published without its last months, and could not be released
    // again once complete: a second release of a year is what the freeze forbids.
    if (year >= now.getUTCFullYear()) {
      throw new AppError('YEAR_NOT_OVER', `${year} is not over yet: a bilan covers a whole calendar year`);
    }
    const existing = await trx
      .selectFrom('stats.releases')
      .select('year')
      .where('clsm_id', '=', caller.clsmId)
      .where('year', '=', year)
      .executeTakeFirst();
    if (existing !== undefined) throw alreadyReleased(year);
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
          released_by: caller.memberId,
        })
        .execute();
    } catch (err) {
      // A concurrent release of the same year committed first.
      if (sqlState(err) === UNIQUE_VIOLATION) throw alreadyReleased(year);
      throw err;
    }
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
  });
}
