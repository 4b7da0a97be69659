import t from 'tap';
import { REFUSAL_WINDOW_MS } from '../../src/auth/refusal-windows.js';
import { randomUUID } from 'node:crypto';
import { ROLES } from '../../src/kernel/roles.js';
import { mustNotLeak, startTestApp } from '../helpers/app.js';
import { accessRequests, type AccessRequest, type Build } from '../helpers/access-requests.js';
import { schemaAt } from '../helpers/request-model.js';
import { routeRecorder, type RouteSpec } from '../helpers/routes.js';
import { seed } from '../helpers/seed.js';
import { FIELD_CALLERS, FIELD_GRID, fieldGrid } from '../helpers/field-grid.js';
import { stateProbe } from '../helpers/state-probe.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { summarize } from '../helpers/run-summary.js';

// Who may call what, route by route, written out by hand from policies/*.cedar and the services
// that ask them, and checked through HTTP: one well-formed request per route and per caller (a
// member of each role, all of them bound by the charter, and a caller with no token).
//   ok   allowed: the answer is neither 401, 403, 404 nor 5xx, and no refusal is recorded
//   403  refused, problem details, and an event with outcome `denied` in the audit log
//   404  the same, where the policy hides that the case exists
//   401  no token: refused and recorded the same way
// Case routes act on a situation where the coordinator, the health professional, the social worker
// and the partner all take part, and where the person consented to the partner seeing the synthesis
// and committee compartments; entry and key routes act on the synthesis. Every caller is convened
// to the sitting. Elected officials, the DPO, statistics readers and operators take part in nothing.
// The person (per) takes part in that situation, invited to their own space, and in no sitting.
const TABLE = `
#                                                                     coo hea soc par ele dpo sta ope per none
# Public: health, the API documentation (embedded mode only), logging in, enrolling, recovering.
GET    /healthz                                                        ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /readyz                                                         ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs                                                           ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/                                                          ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/*                                                         ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/json                                                      ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/yaml                                                      ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/static/index.html                                         ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /docs/static/swagger-initializer.js                             ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/auth/challenge                                              ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/auth/login                                                  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/enroll                                                      ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/enroll/invitation                                           ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/recover                                                     ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/recover/backup                                              ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /v1/recover/keys                                                ok  ok  ok  ok  ok  ok  ok  ok  ok  ok
# Every member (clsm/everyone).
POST   /v1/auth/logout                                                 ok  ok  ok  ok  ok  ok  ok  ok  ok 401
GET    /v1/me                                                          ok  ok  ok  ok  ok  ok  ok  ok  ok 401
PUT    /v1/me/key-backup                                               ok  ok  ok  ok  ok  ok  ok  ok  ok 401
GET    /v1/members                                                     ok  ok  ok  ok  ok  ok  ok  ok  ok 401
GET    /v1/directory                                                   ok  ok  ok  ok  ok  ok  ok  ok  ok 401
GET    /v1/clsm                                                        ok  ok  ok  ok  ok  ok  ok  ok 403 401
GET    /v1/charter                                                     ok  ok  ok  ok  ok  ok  ok  ok  ok 401
POST   /v1/charter/accept                                              ok  ok  ok  ok  ok  ok  ok  ok 403 401
GET    /v1/audit/head                                                  ok  ok  ok  ok  ok  ok  ok  ok  ok 401
# The coordinator (clsm/coordinator); the directory log's statements (clsm/directory).
POST   /v1/members/invitations                                         ok 403 403 403 403 403 403 403 403 401
POST   /v1/members/:id/recovery-codes                                  ok 403 403 403 403 403 403 403 403 401
POST   /v1/directory                                                   ok 403 403 403 403 403 403 403 403 401
POST   /v1/charter/publish                                             ok 403 403 403 403 403 403 403 403 401
GET    /v1/charter/versions                                            ok 403 403 403 403 403 403 403 403 401
POST   /v1/stats/releases                                              ok 403 403 403 403 403 403 403 403 401
# A second person approves a release that waits for one: another coordinator or the DPO.
POST   /v1/stats/releases/:year/approval                               ok 403 403 403 403  ok 403 403 403 401
GET    /v1/actions/overdue                                             ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings                                                    ok 403 403 403 403 403 403 403 403 401
PUT    /v1/sittings/:id/attendance                                     ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings/:id/hold                                           ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings/:id/close                                          ok 403 403 403 403 403 403 403 403 401
# The audit log: the DPO; signed checkpoints also the coordinator and operators (clsm/checkpoints).
GET    /v1/audit/events                                               403 403 403 403 403  ok 403 403 403 401
GET    /v1/audit/verify                                               403 403 403 403 403  ok 403 403 403 401
POST   /v1/audit/verify                                               403 403 403 403 403  ok 403 403 403 401
GET    /v1/audit/checkpoints                                           ok 403 403 403 403  ok 403  ok 403 401
POST   /v1/audit/checkpoints                                           ok 403 403 403 403  ok 403  ok 403 401
# Case roles (clsm/case-roles); a sitting is read by those convened to it who hold a case role.
POST   /v1/cases                                                       ok  ok  ok  ok 403 403 403 403 403 401
GET    /v1/cases                                                       ok  ok  ok  ok 403 403 403 403  ok 401
GET    /v1/actions/mine                                                ok  ok  ok  ok 403 403 403 403 403 401
GET    /v1/sittings                                                    ok  ok  ok  ok 403 403 403 403 403 401
GET    /v1/sittings/:id                                                ok  ok  ok  ok 403 403 403 403 403 401
# An agenda item's case, through its sitting: the other roles are stopped at the sitting (403).
POST   /v1/sittings/:id/agenda                                         ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings/:id/agenda/:itemId/decisions                       ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings/:id/agenda/:itemId/actions                         ok 403 403 403 403 403 403 403 403 401
POST   /v1/sittings/:id/agenda/:itemId/minutes                         ok  ok  ok  ok 403 403 403 403 403 401
# A case the caller takes part in; the other roles cannot know it exists (guard/case-roles).
GET    /v1/cases/:id                                                   ok  ok  ok  ok 404 404 404 404  ok 401
GET    /v1/cases/:id/log                                               ok  ok  ok  ok 404 404 404 404  ok 401
GET    /v1/cases/:id/consent                                           ok  ok  ok  ok 404 404 404 404  ok 401
GET    /v1/cases/:id/participant-requests                              ok  ok  ok  ok 404 404 404 404  ok 401
GET    /v1/cases/:id/exceptions                                        ok  ok  ok  ok 404 404 404 404  ok 401
GET    /v1/cases/:id/compartments/:compartment/entries                 ok  ok  ok  ok 404 404 404 404 403 401
POST   /v1/cases/:id/compartments/:compartment/entries                 ok  ok  ok  ok 404 404 404 404 403 401
POST   /v1/cases/:id/compartments/:compartment/keys                    ok  ok  ok  ok 404 404 404 404 403 401
POST   /v1/cases/:id/compartments/:compartment/grants                  ok  ok  ok  ok 404 404 404 404 403 401
# Participants bound by secrecy (case/secret-bound-participants, case/declare-statistics).
POST   /v1/cases/:id/participants                                      ok  ok  ok 403 404 404 404 404 403 401
POST   /v1/cases/:id/consent                                           ok  ok  ok 403 404 404 404 404  ok 401
GET    /v1/cases/:id/consent-proposals                                 ok  ok  ok 403 404 404 404 404  ok 401
# A second participant bound by secrecy, never the one who asked nor the one it would let in
# (case/participant-approve, case/consent-confirm, guard/participant-four-eyes, guard/consent-four-eyes):
# the pending addition was asked for by a second coordinator, the pending consent change by the coordinator.
POST   /v1/cases/:id/participant-requests/:requestId/approve          403  ok  ok 403 404 404 404 404 403 401
POST   /v1/cases/:id/consent-proposals/:proposalId/confirm            403  ok  ok 403 404 404 404 404 404 401
# Turned down by the coordinator or a participant bound by secrecy (case/participant-refuse); a
# pending consent change by whoever may record consent.
POST   /v1/cases/:id/participant-requests/:requestId/refuse            ok  ok  ok 403 404 404 404 404 403 401
POST   /v1/cases/:id/consent-proposals/:proposalId/refuse              ok  ok  ok 403 404 404 404 404 404 401
POST   /v1/cases/:id/exceptions                                        ok  ok  ok 403 404 404 404 404 403 401
POST   /v1/cases/:id/exceptions/:exceptionId/close                     ok  ok  ok 403 404 404 404 404 403 401
POST   /v1/cases/:id/exceptions/:exceptionId/inform                    ok  ok  ok 403 404 404 404 404 403 401
PUT    /v1/cases/:id/statistics                                        ok  ok  ok 403 404 404 404 404 403 401
# A second person approves an exception; an action is reported by its assignee (the social worker).
POST   /v1/cases/:id/exceptions/:exceptionId/approve                   ok  ok 403 403 404 404 404 404 403 401
POST   /v1/actions/:id/status                                          ok 403  ok 403 404 404 404 404 403 401
# The one who approved an exception (here the coordinator) may shorten it (case/exception-shorten).
POST   /v1/cases/:id/exceptions/:exceptionId/shorten                   ok 403 403 403 404 404 404 404 403 401
# The coordinator runs the situation (case/coordinator); the DPO also reads who accessed it.
POST   /v1/cases/:id/accept                                            ok 403 403 403 404 404 404 404 404 401
POST   /v1/cases/:id/decline                                           ok 403 403 403 404 404 404 404 404 401
POST   /v1/cases/:id/advance                                           ok 403 403 403 404 404 404 404 404 401
POST   /v1/cases/:id/close                                             ok 403 403 403 404 404 404 404 404 401
DELETE /v1/cases/:id/participants/:memberId                            ok 403 403 403 404 404 404 404 403 401
DELETE /v1/cases/:id/participants/:memberId/compartments/:compartment  ok 403 403 403 404 404 404 404 403 401
PUT    /v1/decisions/:id/adhesion                                      ok 403 403 403 404 404 404 404 403 401
GET    /v1/cases/:id/access-report                                     ok 403 403 403 404  ok 404 404  ok 401
# A situation's decisions across its sittings follow its committee compartment (the partner has consent).
GET    /v1/cases/:id/decisions                                         ok  ok  ok  ok 404 404 404 404 403 401
# The person is invited from their situation by a participant bound by secrecy or the coordinator
# taking part (case/person-invite); the person answers the decisions about them (person/own-situation).
POST   /v1/cases/:id/person-invitations                                ok  ok  ok 403 404 404 404 404 403 401
PUT    /v1/decisions/:id/answer                                       403 403 403 403 404 404 404 404  ok 401
# Who answers the person about that report finds the situation by its reference; to anyone else the
# reference names nothing (src/access-report/lookup.ts).
GET    /v1/cases/by-reference/:reference                               ok 404 404 404 404  ok 404 404 404 401
`;

/** The table's columns, in order: every role, then no token. */
const CALLERS = [
  'coordinator',
  'health_professional',
  'social_worker',
  'partner',
  'elected_official',
  'dpo',
  'stats_reader',
  'operator',
  'person',
  'anonymous',
] as const;
type Caller = (typeof CALLERS)[number];
type Expected = 'ok' | '401' | '403' | '404';

const rows = new Map<string, Expected[]>();
for (const line of TABLE.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
  const [method, url, ...cells] = line.trim().split(/\s+/);
  if (cells.length !== CALLERS.length || cells.some((c) => !['ok', '401', '403', '404'].includes(c)))
    throw new Error(`malformed table row: ${line}`);
  rows.set(`${method ?? ''} ${url ?? ''}`, cells as Expected[]);
}

const recorder = routeRecorder();
const ta = await startTestApp(t, {
  beforeReady: (app) => {
    recorder.beforeReady(app);
  },
});
const routes = recorder.discover(ta.app);
const seeded = await seed(ta);
const builders = await accessRequests(ta, seeded);
const keyOf = (r: RouteSpec) => `${r.method} ${r.url}`;
const memberOf = (who: Caller) => (who === 'anonymous' ? undefined : seeded.callers[who]);
let sent = 0;
t.teardown(() => summarize(t, import.meta.url, { requests: sent }));

/** The request of a route, as `who` sends it. */
async function requestFor(route: RouteSpec, who: Caller, allowed: boolean): Promise<AccessRequest> {
  const build: Build | undefined = builders[keyOf(route)];
  if (build !== undefined) return build(memberOf(who), allowed);
  if (/[:*]/.test(route.url) || route.body !== undefined) throw new Error(`no request for ${keyOf(route)}`);
  return { method: route.method as AccessRequest['method'], url: route.url };
}

async function send(who: Caller, req: AccessRequest) {
  sent += 1;
  // Each anonymous refusal in a window of its own: repeated ones from one source within a minute
  // are counted into one event (src/auth/refusal-windows.ts), not recorded under their request id.
  if (who === 'anonymous') ta.clock.advance(REFUSAL_WINDOW_MS);
  const res = await ta.app.inject({
    method: req.method,
    url: req.url,
    headers: req.headers ?? memberOf(who)?.headers ?? {},
    ...(req.payload === undefined ? {} : { payload: req.payload as object }),
  });
  // Codes and tokens an allowed request obtained must never reach a log.
  const body = String(res.headers['content-type']).includes('json')
    ? res.json<Record<string, unknown>>()
    : {};
  if (res.statusCode < 300)
    for (const secret of [body.code, body.accessToken]) if (typeof secret === 'string') mustNotLeak(secret);
  return { status: res.statusCode, body, requestId: String(res.headers['x-request-id']) };
}

const deniedEvents = async (requestId: string) => {
  await eventsSealed(ta.ctx.db);
  return (
    await ta.ctx.db
      .selectFrom('audit_events')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('request_id', '=', requestId)
      .where('outcome', '=', 'denied')
      .executeTakeFirstOrThrow()
  ).n;
};

t.test('the table has a row for every route of the API, a column for every role', async (t) => {
  t.same([...CALLERS].filter((c) => c !== 'anonymous').sort(), [...ROLES].sort(), 'one column per role');
  const registered = new Set(routes.map(keyOf));
  for (const key of registered) if (!rows.has(key)) t.fail(`${key} is served but has no row in the table`);
  const docs = ta.ctx.config.http.docsEnabled;
  for (const key of rows.keys())
    if (!registered.has(key) && (docs || !key.startsWith('GET /docs')))
      t.fail(`${key} is in the table, not served`);
  t.pass(`${rows.size} rows, ${registered.size} routes served`);
});

// Before the routes are called: they log some callers out.
t.test('who sees which field: the grid of policies/README.md, through HTTP', async (t) => {
  const grid = await fieldGrid(ta, seeded);
  let checked = 0;
  for (const line of FIELD_GRID.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
    const [field = '', , , ...cells] = line.trim().split(/\s+/);
    t.equal(cells.length, FIELD_CALLERS.length, `${field}: one cell per caller`);
    for (const [i, who] of FIELD_CALLERS.entries()) {
      const seen = await grid.probe(field, grid.callers[who]);
      t.equal(seen ? 'yes' : 'no', cells[i], `${field} as ${who}`);
      checked += 1;
    }
  }
  t.comment(`field grid: ${checked} cells`);
});

t.test('every route, every role, through HTTP', async (t) => {
  const answers = new Map<string, number>();
  let checked = 0;
  for (const route of routes) {
    const cells = rows.get(keyOf(route));
    if (cells === undefined) continue;
    checked += 1;
    // The refused first: their requests leave the shared resources as they found them.
    const order = CALLERS.map((who, i) => ({ who, expected: cells[i] ?? 'ok' })).sort(
      (a, b) => Number(a.expected === 'ok') - Number(b.expected === 'ok'),
    );
    for (const { who, expected } of order) {
      const label = `${keyOf(route)} as ${who}`;
      const { status, body, requestId } = await send(who, await requestFor(route, who, expected === 'ok'));
      const denied = Number(await deniedEvents(requestId));
      const tally = `${expected === 'ok' ? 'allowed' : 'refused'} ${status}`;
      answers.set(tally, (answers.get(tally) ?? 0) + 1);
      if (expected === 'ok') {
        if ([401, 403, 404].includes(status) || status >= 500)
          t.fail(`${label}: ${status} ${String(body.code)}, expected to be allowed`);
        if (denied !== 0) t.fail(`${label}: allowed, yet recorded as denied`);
        continue;
      }
      if (status !== Number(expected))
        t.fail(`${label}: ${status} ${String(body.code)}, expected ${expected}`);
      if (body.status !== status || typeof body.code !== 'string' || body.requestId !== requestId)
        t.fail(`${label}: the refusal is not problem details`);
      if (denied === 0) t.fail(`${label}: refused, but no denied event in the audit log`);
    }
  }
  t.equal(checked, routes.length, `${checked} routes x ${CALLERS.length} callers`);
  t.comment(
    `access table: ${checked * CALLERS.length} requests; ${[...answers]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}`,
  );
});

t.test('mass assignment: role, CLSM, key version, id, author in bodies change nothing', async (t) => {
  const attack: Record<string, unknown> = {
    role: 'coordinator',
    clsm_id: seeded.neighbour.clsmId,
    clsmId: seeded.neighbour.clsmId,
    keyVersion: 999,
    id: randomUUID(),
    createdBy: seeded.neighbour.coordinator.id,
  };
  // Names a route declares whose value is the caller's to choose: the role of a member invited by
  // the coordinator (the only role that may invite, above).
  const chosen: Record<string, readonly string[]> = { 'POST /v1/members/invitations': ['role'] };
  const probe = await stateProbe(ta.db);
  let attempts = 0;
  for (const route of routes.filter((r) => r.body !== undefined)) {
    const cells = rows.get(keyOf(route)) ?? [];
    // Sent by a caller the table allows, whose request would succeed without the extra fields.
    const who = CALLERS[cells.indexOf('ok')] ?? 'anonymous';
    const declared = Object.keys(attack).filter(
      (name) => schemaAt(route.body, [name]) !== undefined && !(chosen[keyOf(route)] ?? []).includes(name),
    );
    // All the names at once: the schema knows some of them at most, and is strict. Then each name
    // the schema declares, alone: it must be refused by what the server checks it against.
    for (const extra of [attack, ...declared.map((name) => ({ [name]: attack[name] }))]) {
      const req = await requestFor(route, who, true);
      const before = await probe.snapshot();
      const { status, body } = await send(who, { ...req, payload: { ...(req.payload as object), ...extra } });
      const { change } = await probe.since(before);
      const label = `${keyOf(route)} as ${who} with ${Object.keys(extra).join(', ')}`;
      attempts += 1;
      if (extra === attack && (status !== 400 || body.code !== 'VALIDATION_FAILED'))
        t.fail(`${label}: ${status} ${String(body.code)}, expected 400 VALIDATION_FAILED`);
      if (status < 400 || status >= 500) t.fail(`${label}: ${status}, the attacker's value was accepted`);
      if (change.tables.length > 0) t.fail(`${label}: changed ${change.tables.join(', ')}`);
      const events = change.events.filter((e) => e.outcome !== 'denied').map((e) => e.type);
      if (events.length > 0) t.fail(`${label}: recorded ${events.join(', ')}`);
    }
  }
  t.ok(attempts > 0, `${attempts} attempts`);
  t.comment(
    `mass assignment: ${attempts} attempts on ${routes.filter((r) => r.body !== undefined).length} routes`,
  );
});
