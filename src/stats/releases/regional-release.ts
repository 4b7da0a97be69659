import { sql, type Transaction } from 'kysely';
import { appendAudit } from '../../audit/append.js';
import { PLATFORM_CLSM } from '../../kernel/audit-events.js';
import type { Database } from '../../db/schema.js';
import { canonicalJson, contentHash } from './canonical-json.js';
import { CATALOGUE_VERSION } from '../vocabulary/catalogue.js';
import { assertRegionalProtected, nextRegionalRelease } from '../disclosure/regional.js';
import { releaseSchema } from '../vocabulary/release-schema.js';

// The platform releases the regional bilan of a year itself, in the transaction that freezes a
// CLSM's release of that year: a new version when, and only when, some table takes in new CLSMs
// (src/stats/regional.ts). No one chooses when a version is cut, so no one can cut one just before
// and just after a given CLSM releases (docs/adr/0013-statistics-that-re-identify-no-one.md).

/** Serialises the versions of one year across concurrent CLSM releases; 0x52454749 = 'REGI'. */
const REGIONAL_LOCK = 0x52454749;

export async function refreshRegionalRelease(
  trx: Transaction<Database>,
  year: number,
  now: Date,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${REGIONAL_LOCK}, ${year})`.execute(trx);
  const released = await trx
    .selectFrom('stats.releases')
    .select(['clsm_id', 'content'])
    .where('year', '=', year)
    .where('catalogue_version', '=', CATALOGUE_VERSION)
    .orderBy('clsm_id')
    .execute();
  const versions = await trx
    .selectFrom('stats.regional_releases')
    .select(['version', 'catalogue_version', 'contributions'])
    .where('year', '=', year)
    .orderBy('version')
    .execute();
  const history = versions
    .filter((v) => v.catalogue_version === CATALOGUE_VERSION)
    .map((v) => v.contributions);
  const version = (versions.at(-1)?.version ?? 0) + 1;
  const next = nextRegionalRelease(
    year,
    version,
    released.map((r) => ({ clsmId: r.clsm_id, release: releaseSchema.parse(JSON.parse(r.content)) })),
    history.at(-1),
  );
  if (next === undefined) return;
  assertRegionalProtected(history, next.contributions);
  await trx
    .insertInto('stats.regional_releases')
    .values({
      year,
      version,
      catalogue_version: CATALOGUE_VERSION,
      content: canonicalJson(next.aggregate),
      content_hash: contentHash(next.aggregate),
      contributions: JSON.stringify(next.contributions),
      released_at: now,
    })
    .execute();
  // The platform's own act: recorded in its chain, without an actor.
  await appendAudit(trx, {
    clsmId: PLATFORM_CLSM,
    type: 'stats.regional_released',
    outcome: 'success',
    resourceType: 'stats_regional_release',
    resourceId: `${year}/${version}`,
  });
}
