import t from 'tap';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/database.js';
import { addMember, newClsm, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { person, refer, release, startStatsApp } from '../helpers/stats.js';
import { regionalSchema, type RegionalAggregate } from '../../src/stats/vocabulary/regional-schema.js';

// The differencing attack on the regional aggregate: read it just before a CLSM releases its year
// and just after; if the aggregate were a live sum, the difference would be that CLSM's bilan, which
// only its own readers may see. The regional release is frozen instead, and a CLSM that releases late
// joins it only together with at least two others.

const ta = await startTestApp(t);
const stats = await startStatsApp(t, ta);
const clsms: { clsmId: string; coordinator: TestMember }[] = [];
for (const name of ['Nord', 'Sud', 'Est', 'Ouest', 'Centre', 'Littoral']) {
  const clsm = await newClsm(ta, `CLSM ${name}`);
  ta.clock.set(new Date('2025-04-01T08:00:00Z'));
  // 12 referrals each, all described: every count table of every CLSM is published.
  for (let i = 0; i < 12; i++) await refer(ta, clsm.coordinator, person({ sex: 'femme' }));
  clsms.push(clsm);
}
const ars = await addMember(ta, clsms[0]!.coordinator, 'stats_reader');
ta.clock.set(new Date('2026-02-02T08:00:00Z'));

const read = async () => {
  const res = await stats.inject({ method: 'GET', url: '/v1/stats/regional/2025', headers: ars.headers });
  if (res.statusCode !== 200) throw new Error(`regional read failed: ${res.statusCode} ${res.body}`);
  t.equal(
    res.headers['x-content-sha256'],
    createHash('sha256').update(res.rawPayload).digest('hex'),
    'the hash announced is that of the bytes served',
  );
  return { bytes: res.rawPayload, body: regionalSchema.parse(res.json()) };
};
const totals = (aggregate: RegionalAggregate) =>
  Object.fromEntries(aggregate.tables.map((table) => [table.id, table.total]));
const releaseAll = async (some: typeof clsms) => {
  for (const { coordinator } of some) {
    const res = await release(ta, coordinator, 2025);
    if (res.statusCode !== 201) throw new Error(`release failed: ${res.statusCode} ${res.body}`);
  }
};

t.test('after three CLSMs, a regional release of their published tables', async (t) => {
  await releaseAll(clsms.slice(0, 3));
  const { body } = await read();
  t.equal(body.contributors, 3);
  t.equal(body.tables.find((table) => table.id === 'saisines_sexe')?.total, 36);
});

t.test('one more CLSM releases: the regional release does not move, nothing to subtract', async (t) => {
  const before = await read();
  await releaseAll(clsms.slice(3, 4));
  const after = await read();
  t.ok(after.bytes.equals(before.bytes), 'the same frozen bytes');
  t.same(totals(after.body), totals(before.body), "after minus before is not the fourth CLSM's bilan");
});

t.test('two more: the three late CLSMs join together, in a new frozen version', async (t) => {
  const before = await read();
  await releaseAll(clsms.slice(4, 5));
  t.ok((await read()).bytes.equals(before.bytes), 'the fifth alone does not move it either');
  await releaseAll(clsms.slice(5));
  const after = await read();
  t.equal(after.body.version, before.body.version + 1);
  t.equal(after.body.contributors, 6);
  const difference = after.body.tables.find((table) => table.id === 'saisines_sexe');
  t.equal(
    Number(difference?.total) - Number(before.body.tables.find((x) => x.id === 'saisines_sexe')?.total),
    36,
    'what changed is the sum of three CLSMs, as for the aggregate itself',
  );
});

t.test(`on ${ENGINE}, each version is stored once with its hash and never changes`, async (t) => {
  const versions = await ta.ctx.db
    .selectFrom('stats.regional_releases')
    .select(['version', 'content_hash'])
    .where('year', '=', 2025)
    .orderBy('version')
    .execute();
  t.same(
    versions.map((v) => v.version),
    [1, 2, 3],
    'one version at the first release (every table withheld), then at the third and the sixth',
  );
  const latest = await read();
  t.equal(latest.body.version, 3);
  t.equal(
    createHash('sha256').update(latest.bytes).digest('hex'),
    versions[2]?.content_hash,
    'served as stored',
  );
  await asOwner(ta.db, async (owner) => {
    await t.rejects(sql`update stats.regional_releases set content = '{}'`.execute(owner), /frozen/);
    await t.rejects(sql`delete from stats.regional_releases`.execute(owner), /frozen/);
  });
  await eventsSealed(ta.ctx.db);
  const events = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['type', 'resource_id', 'actor_id'])
    .where('type', '=', 'stats.regional_released')
    .orderBy('seq')
    .execute();
  t.same(
    events.map((e) => [e.resource_id, e.actor_id]),
    [
      ['2025/1', null],
      ['2025/2', null],
      ['2025/3', null],
    ],
    'released by the platform, audited in its own chain',
  );
});
