import { randomUUID } from 'node:crypto';
import { referral } from './case-log.js';
import type { FastifyInstance } from 'fastify';
import { buildStatsApp } from '../../src/stats/server/app.js';
import type { PersonFacts } from '../../src/stats/vocabulary/person-facts.js';
import type { TestApp } from './app.js';
import type { TestMember } from './members.js';

// Fixtures for the statistics tests: the statistics server over the test app's context, and cases
// that go through the real API (referral, lifecycle) so that the facts are recorded as in production.

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The statistics server on the same context (and database) as the test API. */
export async function startStatsApp(t: Teardown, ta: TestApp): Promise<FastifyInstance> {
  const app = await buildStatsApp(ta.ctx);
  await app.ready();
  t.teardown(() => app.close());
  return app;
}

export const person = (overrides: Partial<PersonFacts> = {}): PersonFacts => ({
  source: 'bailleur',
  sex: 'femme',
  ageBand: '45_64',
  housing: 'locataire_social',
  household: 'seul',
  problems: ['incurie'],
  ...overrides,
});

/** Refers a case through the API; returns its id. */
export async function refer(ta: TestApp, member: TestMember, statistics?: PersonFacts): Promise<string> {
  const res = await ta.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: member.headers,
    payload: {
      ...(await referral(member)),
      reasonCategory: 'incurie',
      urgency: 'routine',
      ...(statistics === undefined ? {} : { statistics }),
    },
  });
  if (res.statusCode !== 201) throw new Error(`referral failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** One lifecycle step, as the coordinator. */
export async function step(
  ta: TestApp,
  coordinator: TestMember,
  caseId: string,
  transition: 'accept' | 'advance' | 'decline' | 'close',
  body: Record<string, string> = {},
): Promise<void> {
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/${transition}`,
    headers: coordinator.headers,
    payload: body,
  });
  if (res.statusCode !== 200) throw new Error(`${transition} failed: ${res.statusCode} ${res.body}`);
}

/** A consent record, the latest of its case: with `objection`, the person refuses statistical use. */
export async function recordConsent(
  ta: TestApp,
  member: TestMember,
  caseId: string,
  objection: boolean,
): Promise<void> {
  await ta.ctx.db
    .insertInto('consent_records')
    .values({
      clsm_id: member.clsmId,
      id: randomUUID(),
      case_id: caseId,
      decision: 'given',
      scope: [],
      obtained: 'oral',
      statistics_objection: objection,
      evidence_entry_id: null,
      review_on: null,
      recorded_by: member.id,
      recorded_at: ta.clock.now(),
    })
    .execute();
}

/** Releases a year through the API, as the coordinator. */
export async function release(ta: TestApp, coordinator: TestMember, year: number) {
  return ta.app.inject({
    method: 'POST',
    url: '/v1/stats/releases',
    headers: coordinator.headers,
    payload: { year },
  });
}
