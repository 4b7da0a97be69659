import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { addMember, newClsm, type TestMember } from '../helpers/members.js';
import { person, refer, release, startStatsApp } from '../helpers/stats.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { buildConfig } from '../../src/config/config.js';
import { ConfigError, readEnv } from '../../src/config/env.js';
import {
  AGE_BANDS,
  HOUSEHOLDS,
  HOUSING_SITUATIONS,
  PROBLEMS,
  SEXES,
} from '../../src/stats/vocabulary/categories.js';

// Who may change a person's categories, and what a coordinator who plants fake situations around a
// real one meets: every change audited, only the situation's participants describe the person, and
// a release whose inputs changed in bulk just before it waits for a second person.

const ta = await startTestApp(t);
const stats = await startStatsApp(t, ta);
const { clsmId, coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const dpo = await addMember(ta, coordinator, 'dpo');
const code = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;
const put = (member: TestMember, caseId: string) =>
  ta.app.inject({
    method: 'PUT',
    url: `/v1/cases/${caseId}/statistics`,
    headers: member.headers,
    payload: person({ sex: 'homme', ageBand: '65_plus', problems: ['addictions'] }),
  });
const approve = (member: TestMember, year: number) =>
  ta.app.inject({ method: 'POST', url: `/v1/stats/releases/${year}/approval`, headers: member.headers });
const released = async (year: number) =>
  ta.ctx.db
    .selectFrom('stats.releases')
    .select(['released_by', 'approved_by'])
    .where('clsm_id', '=', clsmId)
    .where('year', '=', year)
    .executeTakeFirst();

// The real person, followed by the nurse; the coordinator takes no part in the situation.
ta.clock.set(new Date('2025-03-10T09:00:00Z'));
const real = await refer(ta, nurse);

t.test('a coordinator who takes no part in a situation cannot change its categories', async (t) => {
  const res = await put(coordinator, real);
  t.equal(res.statusCode, 403);
  t.equal(code(res), 'FORBIDDEN');
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'access.denied', outcome: 'denied', action: 'case.declare_statistics', actor_id: coordinator.id },
  ]);
});

t.test('a participant bound by secrecy may; the change is audited without its values', async (t) => {
  const res = await put(nurse, real);
  t.equal(res.statusCode, 204);
  await eventsSealed(ta.ctx.db);
  const events = await ta.ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('request_id', '=', String(res.headers['x-request-id']))
    .execute();
  t.match(events, [
    { type: 'case.statistics_declared', outcome: 'success', case_id: real, actor_id: nurse.id },
  ]);
  const written = JSON.stringify(events);
  const codes = [...SEXES, ...AGE_BANDS, ...HOUSING_SITUATIONS, ...HOUSEHOLDS, ...PROBLEMS];
  t.notOk(
    codes.some((c) => written.includes(`"${c}"`)),
    'no category code in the event',
  );
});

t.test('fakes described in bulk before a release: a second person must approve it', async (t) => {
  // December: the coordinator refers 23 situations of their own, each described as they choose.
  ta.clock.set(new Date('2025-12-08T09:00:00Z'));
  const fakes: string[] = [];
  for (let i = 0; i < 23; i++) {
    fakes.push(await refer(ta, coordinator, person({ sex: i < 12 ? 'homme' : 'femme', ageBand: '65_plus' })));
  }
  await eventsSealed(ta.ctx.db);
  const declared = await ta.ctx.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('clsm_id', '=', clsmId)
    .where('type', '=', 'case.statistics_declared')
    .where('actor_id', '=', coordinator.id)
    .executeTakeFirstOrThrow();
  t.equal(Number(declared.n), 23, 'each description at referral is audited');

  ta.clock.set(new Date('2026-01-05T09:00:00Z'));
  const asked = await release(ta, coordinator, 2025);
  t.equal(asked.statusCode, 202, asked.body);
  t.match(asked.json(), { year: 2025, status: 'approval_required', changedSituations: 23, windowDays: 30 });
  t.match(await eventsOf(ta.ctx.db, asked), [{ type: 'stats.release_requested', outcome: 'success' }]);
  t.equal(await released(2025), undefined, 'nothing released');
  const reader = await addMember(ta, coordinator, 'stats_reader');
  const served = await stats.inject({
    method: 'GET',
    url: `/v1/stats/${clsmId}/2025`,
    headers: reader.headers,
  });
  t.equal(served.statusCode, 404, 'nothing served');

  const self = await approve(coordinator, 2025);
  t.equal(self.statusCode, 403, 'the one who asked cannot approve');
  t.match(await eventsOf(ta.ctx.db, self), [
    { type: 'access.denied', outcome: 'denied', action: 'stats.approve_release' },
  ]);
  const again = await release(ta, coordinator, 2025);
  t.equal(again.statusCode, 202, 'asking again still waits');
  ta.clock.set(new Date('2026-02-20T09:00:00Z'));
  const later = await release(ta, coordinator, 2025);
  t.equal(later.statusCode, 202, 'and so it does once the window has passed: waiting it out does not help');
  t.match(later.json(), { changedSituations: 23, requestedBy: coordinator.id });
  t.equal((await approve(nurse, 2025)).statusCode, 403, 'a nurse does not approve releases');
  t.equal((await approve(dpo, 2024)).statusCode, 404, 'nothing awaits approval for 2024');
  t.equal(await released(2025), undefined);

  const approved = await approve(dpo, 2025);
  t.equal(approved.statusCode, 201, approved.body);
  t.match(await eventsOf(ta.ctx.db, approved), [
    { type: 'stats.release_approved', actor_id: dpo.id, subject_id: coordinator.id },
    { type: 'stats.released', actor_id: dpo.id },
  ]);
  t.same(await released(2025), { released_by: coordinator.id, approved_by: dpo.id });
  t.equal((await approve(dpo, 2025)).statusCode, 409, 'a released year is not approved twice');
});

t.test('after a quiet window, a release needs no second person', async (t) => {
  ta.clock.set(new Date('2026-03-02T09:00:00Z'));
  const res = await release(ta, coordinator, 2024);
  t.equal(res.statusCode, 201, res.body);
  t.same(await released(2024), { released_by: coordinator.id, approved_by: null });
});

t.test('the window and the threshold are configured, with defaults', (t) => {
  t.match(buildConfig(readEnv({})).statistics, { approvalWindowDays: 30, approvalThreshold: 10 });
  t.match(
    buildConfig(readEnv({ STATS_APPROVAL_WINDOW_DAYS: '90', STATS_APPROVAL_THRESHOLD: '0' })).statistics,
    { approvalWindowDays: 90, approvalThreshold: 0 },
    '0: every release needs a second person',
  );
  t.throws(() => readEnv({ STATS_APPROVAL_THRESHOLD: '-1' }), ConfigError);
  t.throws(() => readEnv({ STATS_APPROVAL_WINDOW_DAYS: '0' }), ConfigError);
  t.end();
});
