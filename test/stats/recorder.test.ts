import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { person, refer, release, startStatsApp, step } from '../helpers/stats.js';
import { addMonths, delayBand, durationBand, monthOf } from '../../src/stats/vocabulary/months.js';
import { recordDecision } from '../../src/stats/recorder/case-stages.js';
import { recordAttendance, recordSittingHeld } from '../../src/stats/recorder/sittings.js';
import { releaseSchema } from '../../src/stats/vocabulary/release-schema.js';

// The recorder: dates become months and bands, facts commit or roll back with the caller's
// transaction, and the sittings module's entry points (sitting held, attendance, decisions) feed the
// release like the case lifecycle does.

const at = (iso: string) => new Date(iso);

// Set up before the first subtest: tap ends its root test once it is idle after a teardown was
// registered, which would leave the subtests below behind.
const ta = await startTestApp(t);
const stats = await startStatsApp(t, ta);
const { clsmId, coordinator } = await newClsm(ta);
const worker = await addMember(ta, coordinator, 'social_worker');
const reader = await addMember(ta, coordinator, 'stats_reader');

t.test('months and bands, at their boundaries', (t) => {
  t.equal(monthOf(at('2025-01-31T23:59:59Z')), '2025-01');
  t.equal(monthOf(at('2025-02-01T00:00:00Z')), '2025-02');
  t.same(addMonths(at('2025-01-31T10:00:00Z'), 1), at('2025-02-28T10:00:00Z'), 'a shorter month');
  t.same(addMonths(at('2024-01-31T10:00:00Z'), 1), at('2024-02-29T10:00:00Z'), 'a leap year');
  t.same(addMonths(at('2025-11-15T10:00:00Z'), 3), at('2026-02-15T10:00:00Z'), 'across a year');
  const referred = at('2025-03-10T09:00:00Z');
  t.equal(delayBand(referred, at('2025-04-10T08:59:59Z')), 'moins_1_mois');
  t.equal(delayBand(referred, at('2025-04-10T09:00:00Z')), '1_3_mois', 'one month is "one to three"');
  t.equal(delayBand(referred, at('2025-06-10T09:00:00Z')), '1_3_mois', 'three months inclusive');
  t.equal(delayBand(referred, at('2025-06-10T09:00:01Z')), 'plus_3_mois');
  t.equal(durationBand(referred, at('2025-06-10T08:59:59Z')), 'moins_3_mois');
  t.equal(durationBand(referred, at('2025-06-10T09:00:00Z')), '3_6_mois', 'lower bounds inclusive');
  t.equal(durationBand(referred, at('2025-09-10T09:00:00Z')), '6_12_mois');
  t.equal(durationBand(referred, at('2026-03-10T09:00:00Z')), 'plus_12_mois');
  t.end();
});

t.test('the lifecycle stores months and bands, never a date', async (t) => {
  ta.clock.set(at('2024-11-20T09:00:00Z'));
  const id = await refer(ta, worker, person({ problems: ['incurie', 'isolement'] }));
  ta.clock.set(at('2025-01-05T09:00:00Z'));
  await step(ta, coordinator, id, 'accept');
  await step(ta, coordinator, id, 'advance');
  ta.clock.set(at('2025-10-01T09:00:00Z'));
  await step(ta, coordinator, id, 'close', { outcome: 'soins_engages' });
  // Read as the schema owner: the application role cannot follow a case to its facts.
  const row = await asOwner(ta.db, (owner) =>
    owner
      .selectFrom('stats.case_facts as f')
      .innerJoin('stats.case_links as l', (j) => j.onRef('l.fact_id', '=', 'f.id'))
      .selectAll('f')
      .where('l.case_id', '=', id)
      .executeTakeFirstOrThrow(),
  );
  t.not(row.id, id, 'the fact id is not the case id');
  t.same(
    { ...row, id: undefined, clsm_id: undefined },
    {
      id: undefined,
      clsm_id: undefined,
      referred_month: '2024-11',
      source: 'bailleur',
      sex: 'femme',
      age_band: '45_64',
      housing: 'locataire_social',
      household: 'seul',
      problems: ['incurie', 'isolement'],
      decline_reason: null,
      first_review_month: '2025-01',
      first_review_delay: '1_3_mois',
      closure_month: '2025-10',
      outcome: 'soins_engages',
      duration: '6_12_mois',
    },
  );
});

t.test('sittings, attendance and decisions reach the release of their year', async (t) => {
  ta.clock.set(at('2025-02-03T09:00:00Z'));
  const decided: string[] = [];
  for (let i = 0; i < 12; i++) decided.push(await refer(ta, worker, person()));
  const sittings = [at('2025-02-10T14:00:00Z'), at('2025-03-10T14:00:00Z')];
  for (const held of sittings) {
    await ta.ctx.db.transaction().execute(async (trx) => {
      await recordSittingHeld(trx, { clsmId, at: held });
      await recordAttendance(trx, {
        clsmId,
        at: held,
        seats: [
          { partner: 'bailleur', expected: 2, present: 1 },
          { partner: 'psychiatrie', expected: 1, present: 1 },
        ],
      });
      for (const caseId of decided) {
        await recordDecision(trx, { clsmId, caseId, decision: 'visite_conjointe', at: held });
      }
    });
  }
  // A sitting whose transaction fails leaves no trace.
  await t.rejects(
    ta.ctx.db.transaction().execute(async (trx) => {
      await recordSittingHeld(trx, { clsmId, at: at('2025-04-07T14:00:00Z') });
      throw new Error('the sitting could not be closed');
    }),
  );
  await t.rejects(
    ta.ctx.db.transaction().execute((trx) =>
      recordAttendance(trx, {
        clsmId,
        at: sittings[0] ?? new Date(),
        seats: [{ partner: 'police', expected: 1, present: 2 }],
      }),
    ),
    'more present than convened',
  );

  ta.clock.set(at('2026-01-10T09:00:00Z'));
  t.equal((await release(ta, coordinator, 2025)).statusCode, 201);
  const res = await stats.inject({ method: 'GET', url: `/v1/stats/${clsmId}/2025`, headers: reader.headers });
  const body = releaseSchema.parse(res.json());
  const table = (id: string) => body.tables.find((x) => x.id === id);
  t.equal(table('activite')?.cells[0]?.value, 2, 'two sittings held, the failed one not counted');
  t.same(
    table('assiduite')
      ?.cells.filter((c) => c.value !== 'n.d.')
      .map((c) => [c.key, c.value]),
    [
      ['bailleur', 50],
      ['psychiatrie', 100],
    ],
  );
  t.equal(table('assiduite')?.total, 67, 'all categories: 4 present out of 6 convened');
  t.equal(table('decisions')?.total, 12, 'each case decided once in the year, however many sittings');
});
