import t from 'tap';
import { change, type CaseLogChange } from '../../src/crypto/case-log-statements.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { randomUUID } from 'node:crypto';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';

// Broken object-level authorization: 5 members, 5 cases, each case known to its referrer only.
// Every id-taking route, by every member, for every case: only the referrer gets an answer; the
// others get exactly the answer of an id that does not exist, and each attempt is recorded.

interface Probe {
  method: 'GET' | 'POST' | 'DELETE';
  path: (caseId: string, other: string) => string;
  body?: (other: string) => object;
  /** What the referrer (a participant social worker) gets. */
  owner: number;
  /** The membership log statement the owner's request carries (the change takes effect). */
  logged?: (other: string) => CaseLogChange;
}

const PROBES: Probe[] = [
  { method: 'GET', path: (c) => `/v1/cases/${c}`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/compartments/synthesis/entries`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/consent`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/exceptions`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/participant-requests`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/consent-proposals`, owner: 200 },
  { method: 'GET', path: (c) => `/v1/cases/${c}/access-report`, owner: 403 },
  { method: 'POST', path: (c) => `/v1/cases/${c}/accept`, body: () => ({}), owner: 403 },
  {
    method: 'POST',
    path: (c) => `/v1/cases/${c}/participants`,
    body: (o) => ({ memberId: o, compartments: COMPARTMENTS }),
    owner: 204,
    logged: (o) => change('added', { subjectId: o, compartments: COMPARTMENTS }),
  },
  { method: 'DELETE', path: (c, o) => `/v1/cases/${c}/participants/${o}`, owner: 403 },
  {
    method: 'POST',
    path: (c) => `/v1/cases/${c}/consent`,
    body: () => ({ decision: 'refused', obtained: 'oral' }),
    owner: 201,
    logged: () => change('consent', { decision: 'refused', scope: [] }),
  },
  {
    method: 'POST',
    path: (c) => `/v1/cases/${c}/compartments/social/keys`,
    body: (o) => ({
      keyVersion: 9,
      grants: [
        {
          granteeId: o,
          granteeKeyVersion: 1,
          sealedKey: Buffer.alloc(80).toString('base64'),
          signature: Buffer.alloc(64).toString('base64'),
        },
      ],
    }),
    owner: 400,
  },
];

t.test('every id-taking route, every member, every case', async (t) => {
  const ta = await startTestApp(t);
  const { coordinator } = await newClsm(ta);
  const url = await listen(ta.app);
  const members: TestMember[] = [];
  const cases: string[] = [];
  for (let i = 0; i < 5; i++) {
    const m = await addMember(ta, coordinator, 'social_worker');
    const sdk = sdkFor(url, m);
    const { id } = await sdk.cases.refer('dettes', 'routine');
    await sdk.cases.write(id, 'synthesis', new TextEncoder().encode('synthèse'));
    members.push(m);
    cases.push(id);
  }
  // Routes that name a member name this one, who is none of the five: adding them to a case never
  // makes one of the five a participant of another's case.
  const bystander = await addMember(ta, coordinator, 'social_worker');
  const strip = (body: string) => {
    const { requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  };
  const denials = async (member: TestMember, caseId: string) => {
    await eventsSealed(ta.ctx.db);
    return (
      await ta.ctx.db
        .selectFrom('audit_events')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('actor_id', '=', member.id)
        .where('case_id', '=', caseId)
        .where('type', '=', 'access.denied')
        .executeTakeFirstOrThrow()
    ).n;
  };

  let calls = 0;
  for (const probe of PROBES) {
    for (const [i, member] of members.entries()) {
      const other = bystander.id;
      const send = async (caseId: string, log?: CaseLogChange) =>
        ta.app.inject({
          method: probe.method,
          url: probe.path(caseId, other),
          headers: member.headers,
          ...(probe.body
            ? {
                payload: {
                  ...probe.body(other),
                  ...(log === undefined ? {} : { log: await sdkFor(url, member).caseLogs.seal(caseId, log) }),
                },
              }
            : {}),
        });
      const unknown = await send(randomUUID());
      t.equal(unknown.statusCode, 404, `${probe.method} ${probe.path(':id', ':m')} unknown id`);
      for (const [j, caseId] of cases.entries()) {
        calls += 1;
        const before = await denials(member, caseId);
        const res = await send(caseId, i === j ? probe.logged?.(other) : undefined);
        if (i === j) {
          if (res.statusCode !== probe.owner)
            t.fail(`${probe.method} ${probe.path(':own', ':m')}: ${res.statusCode}, expected ${probe.owner}`);
          continue;
        }
        if (res.statusCode !== 404)
          t.fail(`${probe.method} ${probe.path(':other', ':m')} by a stranger: ${res.statusCode}`);
        if (JSON.stringify(strip(res.body)) !== JSON.stringify(strip(unknown.body)))
          t.fail(`${probe.method} ${probe.path(':other', ':m')}: the answer differs from an unknown id's`);
        if ((await denials(member, caseId)) !== before + 1)
          t.fail(`${probe.method} ${probe.path(':other', ':m')}: not exactly one denied event`);
      }
    }
  }
  t.pass(`${calls} calls made`);
  t.comment(
    `BOLA: ${calls} calls over ${PROBES.length} routes, ${members.length} members, ${cases.length} cases`,
  );
});
