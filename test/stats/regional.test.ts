import fc from 'fast-check';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm, type TestMember } from '../helpers/members.js';
import { person, refer, release, startStatsApp } from '../helpers/stats.js';
import { DisclosureCheckError } from '../../src/stats/disclosure/audit.js';
import {
  assertRegionalProtected,
  MIN_CONTRIBUTORS,
  nextRegionalRelease,
  type ReleasedBy,
} from '../../src/stats/disclosure/regional.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import { regionalSchema } from '../../src/stats/vocabulary/regional-schema.js';
import { NOT_DISCLOSED, type Release } from '../../src/stats/vocabulary/release-schema.js';
import type { RegionalContributions } from '../../src/stats/schema.js';
import { caseFactArbitrary, inputOf, YEAR } from './fixtures.js';

// The regional release is a function of published tables only. Whatever the CLSMs' data, it never
// shows a cell that any contributing CLSM hid, and what it shows is the sum of what they showed.
// Whatever the order in which CLSMs release, no two of its versions differ by fewer than three CLSMs.

const byClsm = (releases: readonly Release[]): ReleasedBy[] =>
  releases.map((release, i) => ({ clsmId: `clsm-${String(i).padStart(2, '0')}`, release }));
const first = (releases: readonly Release[]) => {
  const next = nextRegionalRelease(YEAR, 1, byClsm(releases), undefined);
  if (next === undefined) throw new Error('a first version always exists');
  return next.aggregate;
};

const region = fc.array(
  fc.oneof(
    fc.array(caseFactArbitrary, { maxLength: 30 }),
    fc.array(caseFactArbitrary, { minLength: 30, maxLength: 120 }),
  ),
  { minLength: 1, maxLength: 6 },
);

t.test('a cell hidden in any contributing CLSM is hidden in the aggregate (300 random regions)', (t) => {
  let mixed = 0;
  fc.assert(
    fc.property(region, (datasets) => {
      const releases = datasets.map((cases) => buildRelease(inputOf(cases)));
      const aggregate = regionalSchema.parse(first(releases));
      for (const table of aggregate.tables) {
        const sources = releases.flatMap((r) => r.tables.filter((x) => x.id === table.id));
        const shown = sources.filter((x) => x.status === 'published');
        if (table.status === 'withheld') {
          if (shown.length >= MIN_CONTRIBUTORS) return false;
          continue;
        }
        if (shown.length !== table.contributors || shown.length < MIN_CONTRIBUTORS) return false;
        const values = table.cells.map((c) => c.value);
        if (values.includes(NOT_DISCLOSED) && values.some((v) => v !== NOT_DISCLOSED)) mixed += 1;
        for (const [i, cell] of table.cells.entries()) {
          const parts = shown.map((x) => x.cells[i]?.value);
          const hiddenSomewhere = parts.some((v) => v === NOT_DISCLOSED || v === undefined);
          if (hiddenSomewhere !== (cell.value === NOT_DISCLOSED)) return false;
          if (!hiddenSomewhere && cell.value !== parts.reduce<number>((a, v) => a + Number(v), 0))
            return false;
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.ok(mixed > 0, `${mixed} aggregate tables mixed shown and hidden cells`);
  t.end();
});

t.test('fewer than three contributing CLSMs: every table withheld', (t) => {
  const releases = [0, 1].map(() =>
    buildRelease(inputOf(Array.from({ length: 40 }, () => fc.sample(caseFactArbitrary, 1)[0]!))),
  );
  const aggregate = first(releases);
  t.equal(aggregate.contributors, 0, 'no table sums anyone');
  t.ok(aggregate.tables.every((table) => table.status === 'withheld' && table.cells.length === 0));
  t.notOk(
    aggregate.tables.some((table) => table.id === 'assiduite'),
    'rates cannot be summed without the seat counts, which are not published',
  );
  const other: Release = { ...releases[0]!, catalogueVersion: '2025.9' };
  t.equal(first([...releases, other]).contributors, 0, 'another catalogue is left out');
  t.equal(first([...releases, releases[1]!]).contributors, 3);
  t.end();
});

t.test(
  'CLSMs releasing one after another: versions never differ by one or two CLSMs (100 random regions)',
  (t) => {
    let versions = 0;
    const arrivingRegion = fc.array(fc.array(caseFactArbitrary, { minLength: 11, maxLength: 40 }), {
      minLength: 3,
      maxLength: 10,
    });
    fc.assert(
      fc.property(arrivingRegion, (datasets) => {
        const arrivals = byClsm(datasets.map((cases) => buildRelease(inputOf(cases))));
        const history: RegionalContributions[] = [];
        for (let n = 1; n <= arrivals.length; n += 1) {
          // One CLSM more released; the platform cuts a version if some table changes.
          const next = nextRegionalRelease(YEAR, history.length + 1, arrivals.slice(0, n), history.at(-1));
          if (next === undefined) continue;
          assertRegionalProtected(history, next.contributions);
          for (const earlier of history)
            for (const [id, summed] of Object.entries(next.contributions)) {
              const before = earlier[id] ?? [];
              const added = summed.filter((c) => !before.includes(c)).length;
              if (before.some((c) => !summed.includes(c)) || (added > 0 && added < MIN_CONTRIBUTORS))
                return false;
            }
          history.push(next.contributions);
          versions += 1;
        }
        return true;
      }),
      { numRuns: 100 },
    );
    t.ok(versions > 100, `${versions} versions checked`);
    t.end();
  },
);

t.test('the check refuses a version that adds one CLSM to a table, or drops one', (t) => {
  const three = ['a', 'b', 'c'];
  t.doesNotThrow(() => {
    assertRegionalProtected([{ activite: three }], { activite: [...three, 'd', 'e', 'f'] });
  });
  t.throws(() => {
    assertRegionalProtected([{ activite: three }], { activite: [...three, 'd'] });
  }, DisclosureCheckError);
  t.throws(() => {
    assertRegionalProtected([{ activite: [...three, 'd'] }], { activite: three });
  }, DisclosureCheckError);
  t.throws(() => {
    assertRegionalProtected([], { activite: ['a', 'b'] });
  }, DisclosureCheckError);
  t.end();
});

t.test('served by the statistics server to the ARS and operators, from the released years', async (t) => {
  const ta = await startTestApp(t);
  const stats = await startStatsApp(t, ta);
  const clsms: { clsmId: string; coordinator: TestMember }[] = [];
  for (const name of ['CLSM Nord', 'CLSM Sud', 'CLSM Est']) {
    const clsm = await newClsm(ta, name);
    const worker = await addMember(ta, clsm.coordinator, 'social_worker');
    ta.clock.set(new Date('2025-04-01T08:00:00Z'));
    for (let i = 0; i < 14; i++) await refer(ta, worker, person({ sex: i < 12 ? 'femme' : 'homme' }));
    ta.clock.set(new Date('2026-01-20T08:00:00Z'));
    clsms.push(clsm);
  }
  const [north, south, east] = clsms as [(typeof clsms)[0], (typeof clsms)[0], (typeof clsms)[0]];
  const ars = await addMember(ta, north.coordinator, 'stats_reader');
  const operator = await addMember(ta, north.coordinator, 'operator');
  const get = (member: TestMember, url: string) =>
    stats.inject({ method: 'GET', url, headers: member.headers });

  t.equal((await get(ars, '/v1/stats/regional/2025')).statusCode, 404, 'nothing released yet');
  for (const clsm of [north, south]) t.equal((await release(ta, clsm.coordinator, 2025)).statusCode, 201);
  const two = regionalSchema.parse((await get(ars, '/v1/stats/regional/2025')).json());
  t.equal(two.contributors, 0);
  t.equal(two.version, 1, 'frozen at the first release, every table withheld');
  t.ok(
    two.tables.every((table) => table.status === 'withheld'),
    'two CLSMs are not a region',
  );

  t.equal((await release(ta, east.coordinator, 2025)).statusCode, 201);
  const res = await get(operator, '/v1/stats/regional/2025');
  t.equal(res.statusCode, 200);
  const three = regionalSchema.parse(res.json());
  t.equal(three.contributors, 3);
  t.equal(three.version, 2);
  const activity = three.tables.find((table) => table.id === 'activite');
  t.same(
    activity?.cells.map((c) => c.value),
    [0, 42],
  );
  const sex = three.tables.find((table) => table.id === 'saisines_sexe');
  t.equal(sex?.total, 42);
  t.same(
    sex?.cells.map((c) => c.value),
    [NOT_DISCLOSED, NOT_DISCLOSED, 0],
    'each CLSM hid its 2 men, so the region does',
  );
  const csv = await stats.inject({
    method: 'GET',
    url: '/v1/stats/regional/2025/activite',
    headers: { ...ars.headers, accept: 'text/csv' },
  });
  t.equal(csv.body, 'key,label,value\r\nseances,Séances tenues,0\r\nsaisines,Saisines reçues,42\r\n');

  t.equal((await get(north.coordinator, '/v1/stats/regional/2025')).statusCode, 403, 'not for one CLSM');
  const official = await addMember(ta, north.coordinator, 'elected_official');
  t.equal((await get(official, '/v1/stats/regional/2025')).statusCode, 403);
});
