import t from 'tap';
import type { CharterText } from '../../src/charter/texts.js';
import { startTestApp } from '../helpers/app.js';
import { accessRequests, type AccessRequest } from '../helpers/access-requests.js';
import type { TestMember } from '../helpers/members.js';
import { withAuditRefused } from '../helpers/audit-refused.js';
import { routeRecorder, type RouteSpec } from '../helpers/routes.js';
import { seed } from '../helpers/seed.js';
import { stateProbe, type StateChange } from '../helpers/state-probe.js';

// Every state-changing route of the API, sent once as a caller it allows: its success appends
// exactly its audit events, and those events are written in the same transaction as the change.
// The second half is checked by sabotage: the schema owner makes every audit insert fail, the
// same request is sent again, and nothing it would have changed may have changed. A route added
// tomorrow fails here until it is given its events below.

/** The event types a success appends, in order, each type once however many times it repeats. */
const EXPECTED: Record<string, readonly string[]> = {
  'POST /v1/auth/login': ['auth.login'],
  'POST /v1/auth/logout': ['auth.logout'],
  'POST /v1/enroll': ['member.enrolled', 'member.key_registered'],
  'POST /v1/enroll/invitation': ['member.invitation_opened'],
  'POST /v1/recover': ['member.recovery_opened'],
  'POST /v1/recover/backup': ['member.key_recovered'],
  'POST /v1/recover/keys': ['member.key_registered', 'member.key_backup_stored'],
  'POST /v1/members/invitations': ['member.invited'],
  'POST /v1/members/:id/recovery-codes': ['member.recovery_issued'],
  'POST /v1/directory': ['member.suspended'],
  'PUT /v1/me/key-backup': ['member.key_backup_stored'],
  'POST /v1/charter/accept': ['charter.accepted'],
  'POST /v1/charter/publish': ['charter.published'],
  'POST /v1/audit/checkpoints': ['audit.checkpoint_signed'],
  'POST /v1/audit/verify': ['audit.verified'],
  'POST /v1/cases': ['case.referred'],
  'POST /v1/cases/:id/accept': ['case.transitioned'],
  'POST /v1/cases/:id/decline': ['case.transitioned'],
  'POST /v1/cases/:id/advance': ['case.transitioned'],
  'POST /v1/cases/:id/close': ['case.transitioned'],
  'PUT /v1/cases/:id/statistics': ['case.statistics_declared'],
  'POST /v1/cases/:id/participants': ['participant.added'],
  'DELETE /v1/cases/:id/participants/:memberId': ['participant.removed'],
  'DELETE /v1/cases/:id/participants/:memberId/compartments/:compartment': ['participant.narrowed'],
  'POST /v1/cases/:id/compartments/:compartment/entries': ['entry.written'],
  'POST /v1/cases/:id/compartments/:compartment/keys': ['key.rotated', 'grant.given'],
  'POST /v1/cases/:id/compartments/:compartment/grants': ['grant.given'],
  'POST /v1/cases/:id/consent': ['consent.recorded'],
  'POST /v1/cases/:id/consent-proposals/:proposalId/confirm': ['consent.confirmed'],
  'POST /v1/cases/:id/consent-proposals/:proposalId/refuse': ['consent.proposal_closed'],
  'POST /v1/cases/:id/participant-requests/:requestId/approve': ['participant.approved', 'participant.added'],
  'POST /v1/cases/:id/participant-requests/:requestId/refuse': ['participant.refused'],
  'POST /v1/cases/:id/exceptions': ['exception.opened'],
  'POST /v1/cases/:id/exceptions/:exceptionId/approve': ['exception.approved'],
  'POST /v1/cases/:id/exceptions/:exceptionId/shorten': ['exception.shortened'],
  'POST /v1/cases/:id/exceptions/:exceptionId/close': ['exception.closed'],
  'POST /v1/cases/:id/exceptions/:exceptionId/inform': ['exception.person_informed'],
  'POST /v1/sittings': ['sitting.created'],
  'PUT /v1/sittings/:id/attendance': ['sitting.attendance_recorded'],
  'POST /v1/sittings/:id/hold': ['sitting.held'],
  'POST /v1/sittings/:id/close': ['sitting.closed'],
  'POST /v1/sittings/:id/agenda': ['sitting.agenda_changed'],
  'POST /v1/sittings/:id/agenda/:itemId/minutes': ['entry.written'],
  'POST /v1/sittings/:id/agenda/:itemId/decisions': ['decision.recorded'],
  'POST /v1/sittings/:id/agenda/:itemId/actions': ['action.recorded'],
  'PUT /v1/decisions/:id/adhesion': ['decision.recorded'],
  'PUT /v1/decisions/:id/answer': ['decision.recorded'],
  'POST /v1/cases/:id/person-invitations': ['member.invited'],
  'POST /v1/actions/:id/status': ['action.recorded'],
  'POST /v1/stats/releases': ['stats.regional_released', 'stats.released'],
  'POST /v1/stats/releases/:year/approval': [
    'stats.regional_released',
    'stats.release_approved',
    'stats.released',
  ],
};
/** State-changing routes that append no event, and why. */
const UNAUDITED: Record<string, string> = {
  'POST /v1/auth/challenge': 'a one-use login nonce; the login that uses it is audited, failed or not',
};

/** What a request changes even when it fails, by design. */
const CHANGED_ANYWAY: Record<string, readonly string[]> = {
  // Consumed before it is checked, so that a failed attempt cannot be retried with it.
  'POST /v1/auth/login': ['public.auth_challenges'],
};

const recorder = routeRecorder();
const ta = await startTestApp(t, {
  beforeReady: (app) => {
    recorder.beforeReady(app);
  },
});
// A new charter puts every member out until they accept it: published last.
const last = 'POST /v1/charter/publish';
const writes = recorder
  .discover(ta.app)
  .filter((r) => r.method !== 'GET' && !r.url.startsWith('/docs'))
  .sort((a, b) => Number(keyOf(a) === last) - Number(keyOf(b) === last));
const seeded = await seed(ta);
const builders = await accessRequests(ta, seeded);
function keyOf(r: RouteSpec): string {
  return `${r.method} ${r.url}`;
}
// Two more charter versions shipped, as an operator ships v2.md, v3.md: one to publish, then
// one to publish again with the audit refused.
const [v1] = ta.ctx.charters;
if (v1 === undefined) throw new Error('no charter shipped');
(ta.ctx.charters as CharterText[]).push({ ...v1, version: 2 }, { ...v1, version: 3 });
/** A request that creates what it names (a year's release, a charter version) names the next one. */
let year = 2020;
let version = 1;
const fresh: Record<string, (req: AccessRequest) => AccessRequest> = {
  'POST /v1/stats/releases': (req) => ({ ...req, payload: { year: (year += 1) } }),
  'POST /v1/charter/publish': (req) => ({ ...req, payload: { version: (version += 1) } }),
};
const probe = await stateProbe(ta.db);
/** Callers tried in turn, until one the route allows. */
const callers: (TestMember | undefined)[] = [
  ...(['coordinator', 'dpo', 'operator', 'social_worker', 'health_professional', 'person'] as const).map(
    (role) => seeded.callers[role],
  ),
  undefined,
];

async function requestFor(route: RouteSpec, who: TestMember | undefined): Promise<AccessRequest> {
  const build = builders[keyOf(route)];
  const req: AccessRequest =
    build === undefined
      ? { method: route.method as AccessRequest['method'], url: route.url }
      : await build(who, true);
  return fresh[keyOf(route)]?.(req) ?? req;
}

async function send(who: TestMember | undefined, req: AccessRequest) {
  const before = await probe.snapshot();
  const res = await ta.app.inject({
    method: req.method,
    url: req.url,
    headers: req.headers ?? who?.headers ?? {},
    ...(req.payload === undefined ? {} : { payload: req.payload as object }),
  });
  const { change } = await probe.since(before);
  return { status: res.statusCode, change };
}

/** Consecutive repeats of a type counted once: a rotation grants the key to each holder. */
const types = (change: StateChange) =>
  change.events.map((e) => e.type).filter((type, i, all) => all[i - 1] !== type);

t.test('every state-changing route is listed here with its events', async (t) => {
  const served = new Set(writes.map(keyOf));
  for (const key of served)
    if (EXPECTED[key] === undefined && UNAUDITED[key] === undefined) t.fail(`${key} has no expected events`);
  for (const key of [...Object.keys(EXPECTED), ...Object.keys(UNAUDITED)])
    if (!served.has(key)) t.fail(`${key} is listed, not served`);
  t.pass(`${served.size} state-changing routes`);
});

t.test('a success appends exactly its events, in the transaction of its change', async (t) => {
  let sabotaged = 0;
  for (const route of writes) {
    const key = keyOf(route);
    const expected = EXPECTED[key];
    if (expected === undefined) continue;
    let caller: TestMember | undefined | null = null;
    for (const who of callers) {
      const { status, change } = await send(who, await requestFor(route, who));
      if (status >= 300) continue;
      caller = who;
      t.same(types(change), expected, `${key}: ${expected.join(', ')}`);
      const refused = change.events.filter((e) => e.outcome !== 'success');
      t.same(refused, [], `${key}: no refusal recorded beside its success`);
      break;
    }
    if (caller === null) {
      t.fail(`${key}: no caller could succeed`);
      continue;
    }
    const req = await requestFor(route, caller);
    const { status, change } = await withAuditRefused(ta.db, () => send(caller ?? undefined, req));
    sabotaged += 1;
    t.ok(status >= 500, `${key}: with its audit refused, the request fails (${status})`);
    t.same(change.tables, CHANGED_ANYWAY[key] ?? [], `${key}: and changes nothing it should not`);
  }
  t.ok(sabotaged > 30, `${sabotaged} routes sent again with their audit refused`);
});

t.test('the unaudited routes change only what they are allowed to', async (t) => {
  for (const route of writes.filter((r) => UNAUDITED[keyOf(r)] !== undefined)) {
    const { status, change } = await send(undefined, await requestFor(route, seeded.callers.coordinator));
    t.ok(status < 300, `${keyOf(route)}: ${UNAUDITED[keyOf(route)]}`);
    t.same(change.events, [], 'no event');
    t.same(change.tables, ['public.auth_challenges'], 'a challenge row, nothing else');
  }
});
