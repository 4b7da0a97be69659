import t from 'tap';
import { change } from '../../src/crypto/case-log-statements.js';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/database.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { person, refer, release, step } from '../helpers/stats.js';
import { purgeExpired } from '../../src/cases/purge.js';
import { releaseSchema } from '../../src/stats/vocabulary/release-schema.js';

// What ties a situation to the person's categories (sex, age band, household, problems...), asked
// of the database as the application role itself, and what a purged situation leaves behind.

const ta = await startTestApp(t);
const { clsmId, coordinator } = await newClsm(ta);
const worker = await addMember(ta, coordinator, 'social_worker');
const app = ta.ctx.db;
const inject = (member: TestMember, method: 'POST' | 'PUT', url: string, payload: object) =>
  ta.app.inject({ method, url, headers: member.headers, payload });
const workerSdk = sdkFor(await listen(ta.app), worker);
const consent = async (caseId: string, statisticsObjection: boolean) => {
  const res = await inject(worker, 'POST', `/v1/cases/${caseId}/consent`, {
    decision: 'given',
    scope: [],
    obtained: 'oral',
    statisticsObjection,
    log: await workerSdk.caseLogs.seal(caseId, change('consent', { decision: 'given', scope: [] })),
  });
  if (res.statusCode !== 201) throw new Error(`consent failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
};

ta.clock.set(new Date('2025-05-12T10:00:00Z'));
const described = await refer(
  ta,
  worker,
  person({ sex: 'homme', ageBand: '65_plus', household: 'seul', problems: ['addictions'] }),
);
const objector = await refer(ta, worker, person({ sex: 'homme', ageBand: 'moins_25' }));
await consent(objector, true);

t.test(`on ${ENGINE}, the application role cannot join a live situation to its categories`, async (t) => {
  await t.rejects(
    sql`select f.sex from cases c join stats.case_facts f on f.id = c.stats_fact_id where c.id = ${described}`.execute(
      app,
    ),
    /permission denied|does not exist/,
    'the link column of the main schema',
  );
  await t.rejects(sql`select * from stats.case_links`.execute(app), /permission denied/, 'the link table');
  for (const table of ['stats.case_facts', 'stats.case_decisions']) {
    await t.rejects(
      sql`select * from ${sql.table(table)}`.execute(app),
      /permission denied/,
      `${table}: its months and outcomes, matched against the cases' dates, would rebuild the link`,
    );
  }
  const privileges = await sql<{ name: string; privilege: string }>`
    select n.nspname || '.' || c.relname as name, p.privilege
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) as p(privilege)
     where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = 'stats'
       and has_table_privilege('clsm_app', c.oid, p.privilege)
     order by 1, 2`.execute(app);
  t.same(
    privileges.rows.map((r) => `${r.name} ${r.privilege}`),
    [
      'stats.attendance INSERT',
      'stats.attendance SELECT',
      'stats.attendance UPDATE',
      'stats.regional_releases INSERT',
      'stats.regional_releases SELECT',
      'stats.release_requests INSERT',
      'stats.release_requests SELECT',
      'stats.releases INSERT',
      'stats.releases SELECT',
      'stats.sittings_held INSERT',
      'stats.sittings_held SELECT',
      'stats.sittings_held UPDATE',
    ],
    'facts are written and read through the functions of the stats schema only',
  );
});

t.test('the objection is the latest consent record in the order access uses', async (t) => {
  // Eleven more described situations, so that the tables of 2025 are published with exact totals.
  for (let i = 0; i < 11; i++) await refer(ta, worker, person());
  const stepped = await refer(ta, worker, person());
  ta.clock.set(new Date('2025-06-02T10:00:00Z'));
  await consent(stepped, false);
  // The server's clock steps back an hour; the person then objects.
  ta.clock.set(new Date('2025-06-02T09:00:00Z'));
  const objection = await consent(stepped, true);
  const view = await ta.app.inject({ method: 'GET', url: `/v1/cases/${stepped}`, headers: worker.headers });
  t.equal(view.json<{ consent: { id: string } }>().consent.id, objection, 'access: the objection is current');

  ta.clock.set(new Date('2026-01-15T09:00:00Z'));
  const released = await release(ta, coordinator, 2025);
  t.equal(released.statusCode, 201, released.body);
  const row = await app
    .selectFrom('stats.releases')
    .select('content')
    .where('clsm_id', '=', clsmId)
    .where('year', '=', 2025)
    .executeTakeFirstOrThrow();
  const sex = releaseSchema.parse(JSON.parse(row.content)).tables.find((x) => x.id === 'saisines_sexe');
  t.equal(
    sex?.total,
    12,
    '14 described, 2 objections: the early one and the one after the clock stepped back',
  );
});

t.test('purge: the link is broken and no category stays on the tombstone', async (t) => {
  ta.clock.set(new Date('2026-02-02T09:00:00Z'));
  for (const id of [described, objector]) await step(ta, coordinator, id, 'accept');
  const sitting = await inject(coordinator, 'POST', '/v1/sittings', {
    scheduledFor: '2026-02-05T14:00:00Z',
    location: 'Mairie',
    convened: [coordinator.id, worker.id],
  });
  const sittingId = sitting.json<{ id: string }>().id;
  const item = await inject(coordinator, 'POST', `/v1/sittings/${sittingId}/agenda`, { caseId: described });
  const itemId = item.json<{ itemId: string }>().itemId;
  const decided = await inject(coordinator, 'POST', `/v1/sittings/${sittingId}/agenda/${itemId}/decisions`, {
    category: 'orientation_soins',
  });
  t.equal(decided.statusCode, 201, decided.body);
  await step(ta, coordinator, described, 'close', { outcome: 'soins_engages' });
  await step(ta, coordinator, objector, 'close', { outcome: 'refus_personne' });
  ta.clock.advance(731 * 86_400_000);
  const purged = await purgeExpired(app, ta.clock.now());
  t.same(purged.map((p) => p.caseId).sort(), [described, objector].sort());

  await asOwner(ta.db, async (owner) => {
    const links =
      await sql`select 1 from stats.case_links where case_id in (${described}, ${objector})`.execute(owner);
    t.equal(links.rows.length, 0, 'no link from either tombstone to its facts');
    const tombstones = await sql<Record<string, unknown>>`
      select reason_category, decline_reason, outcome_category from cases
       where id in (${described}, ${objector})`.execute(owner);
    t.same(tombstones.rows, [
      { reason_category: null, decline_reason: null, outcome_category: null },
      { reason_category: null, decline_reason: null, outcome_category: null },
    ]);
    const history = await sql<{ category: string | null }>`
      select category from case_transitions where case_id in (${described}, ${objector})`.execute(owner);
    t.ok(history.rows.length >= 6);
    t.ok(
      history.rows.every((r) => r.category === null),
      'the history keeps its steps, not their categories',
    );
    const decisions = await sql`select 1 from decisions where case_id = ${described}`.execute(owner);
    t.equal(decisions.rows.length, 0, "the sitting's decision about the situation is gone with its minutes");
    // The anonymous facts stay for the bilans still to come; the objector's keep only their month.
    const facts = await sql<Record<string, unknown>>`
      select referred_month, sex, age_band, outcome from stats.case_facts
       where clsm_id = ${clsmId} and (outcome is not null or sex is null) order by outcome`.execute(owner);
    t.same(facts.rows, [
      { referred_month: '2025-05', sex: 'homme', age_band: '65_plus', outcome: 'soins_engages' },
      { referred_month: '2025-05', sex: null, age_band: null, outcome: null },
    ]);
  });

  // What a release of 2026 reads: the closure of the described person, not the objector's.
  const input = await sql<{ outcome: string; sex: string }>`
    select outcome, sex from stats.release_facts(${clsmId}, 2026)`.execute(app);
  t.same(input.rows, [{ outcome: 'soins_engages', sex: 'homme' }]);
  ta.clock.set(new Date('2028-03-01T09:00:00Z'));
  t.equal((await release(ta, coordinator, 2026)).statusCode, 201, 'released after the purge');
  await t.rejects(
    sql`select * from stats.release_facts(${clsmId}, 2026)`.execute(app),
    /already released/,
    'and the input of a released year is not read again',
  );
});
