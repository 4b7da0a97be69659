import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createBenchDatabase, openAsApp } from '../../bench/lib/database.js';
import { asOwner } from '../helpers/owner.js';
import { canonicalJson, contentHash } from '../../src/stats/releases/canonical-json.js';
import { readActivity, readCaseFacts } from '../../src/stats/releases/fact-reader.js';
import { readRelease } from '../../src/stats/server/published.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import { syntheticCases, YEAR } from './fixtures.js';

// What releasing a year and serving it cost once the database is involved, on PGlite or (with
// DATABASE_URL, a role that may create databases) PostgreSQL. Not a unit test:
//   node --import tsx test/stats/service-benchmark.ts [facts]

const facts = Number(process.argv[2] ?? 100_000);
const work = await mkdtemp(path.join(os.tmpdir(), 'clsm-stats-bench-'));
const database = await createBenchDatabase({ workDir: work, adminUrl: process.env.DATABASE_URL });
const dbs = await openAsApp(database.access, 4);
const ms = (start: number) => (performance.now() - start).toFixed(0);
try {
  const clsmId = randomUUID();
  const memberId = randomUUID();
  const sessionId = randomUUID();
  await dbs.db.insertInto('tenants').values({ clsm_id: clsmId, name: 'Bench' }).execute();
  await dbs.db
    .insertInto('members')
    .values({ clsm_id: clsmId, id: memberId, role: 'stats_reader', organisation: 'ARS', display_name: 'ARS' })
    .execute();
  await dbs.db
    .insertInto('sessions')
    .values({
      clsm_id: clsmId,
      id: sessionId,
      member_id: memberId,
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();

  // Facts are written here as the schema owner, in bulk: the API role writes them case by case,
  // through the functions of the stats schema, and cannot touch the tables.
  const owner = {
    dbs,
    urls:
      database.access.engine === 'postgres'
        ? { owner: database.access.ownerUrl, app: database.access.appUrl, stats: database.access.statsUrl }
        : undefined,
    dataDir: undefined,
    close: () => Promise.resolve(),
  };
  let start = performance.now();
  const cases = syntheticCases(facts);
  for (let i = 0; i < cases.length; i += 1000) {
    const batch = cases.slice(i, i + 1000).map((c) => ({ id: randomUUID(), c }));
    await asOwner(owner, async (db) => {
      await db
        .insertInto('stats.case_facts')
        .values(
          batch.map(({ id, c }) => ({
            clsm_id: clsmId,
            id,
            referred_month: c.referredMonth,
            source: c.source,
            sex: c.sex,
            age_band: c.ageBand,
            housing: c.housing,
            household: c.household,
            problems: c.problems,
            decline_reason: c.declineReason ?? null,
            first_review_month: c.firstReview?.month ?? null,
            first_review_delay: c.firstReview?.delay ?? null,
            closure_month: c.closure?.month ?? null,
            outcome: c.closure?.outcome ?? null,
            duration: c.closure?.duration ?? null,
          })),
        )
        .execute();
      const decisions = batch.flatMap(({ id, c }) =>
        c.decisions.map((d) => ({ clsm_id: clsmId, fact_id: id, month: d.month, decision: d.decision })),
      );
      if (decisions.length > 0) await db.insertInto('stats.case_decisions').values(decisions).execute();
    });
  }
  process.stdout.write(`${database.version}: ${facts} facts inserted in ${ms(start)} ms\n`);

  start = performance.now();
  const input = await dbs.db.transaction().execute(async (trx) => ({
    year: YEAR,
    cases: await readCaseFacts(trx, clsmId, YEAR),
    activity: await readActivity(trx, clsmId, YEAR),
  }));
  const readMs = ms(start);
  start = performance.now();
  const release = buildRelease(input);
  process.stdout.write(`release: facts read in ${readMs} ms, built and checked in ${ms(start)} ms\n`);
  await dbs.db
    .insertInto('stats.releases')
    .values({
      clsm_id: clsmId,
      year: YEAR,
      catalogue_version: release.catalogueVersion,
      content: canonicalJson(release),
      content_hash: contentHash(release),
      released_at: new Date(),
      released_by: memberId,
      approved_by: null,
    })
    .execute();

  const requests = 1000;
  start = performance.now();
  for (let i = 0; i < requests; i += 1) {
    await dbs.withStatsRole((trx) =>
      sql`select role from stats.session_principal(${clsmId}, ${memberId}, ${sessionId})`.execute(trx),
    );
    await readRelease(dbs, clsmId, YEAR);
  }
  const perRequest = (performance.now() - start) / requests;
  process.stdout.write(
    `statistics server's database work per request (principal check + release read): ${perRequest.toFixed(2)} ms\n`,
  );
} finally {
  await dbs.close();
  await database.drop();
  await rm(work, { recursive: true, force: true });
}
