import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';

// Every list that grows with use is paged by a cursor bound to the list and to the request's scope.
// With a byte budget of one byte every page holds exactly one item: the SDK must follow the cursors
// to return the whole list, as it did when lists came in one body.

const ta = await startTestApp(t, { env: { PAGE_MAX_BYTES: '1' } });
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const social = await addMember(ta, coordinator, 'social_worker');
const url = await listen(ta.app);
const [coord, nurseSdk] = [sdkFor(url, coordinator), sdkFor(url, nurse)];

const referred: string[] = [];
for (const reason of ['rupture_soins', 'incurie', 'menace_expulsion']) {
  referred.push((await nurseSdk.cases.refer(reason, 'routine')).id);
  ta.clock.advance(60_000);
}
const caseId = referred[0] ?? '';
await coord.cases.transition(caseId, 'accept');
await nurseSdk.cases.addParticipant(caseId, social.id);
for (const decision of ['given', 'withdrawn', 'given'] as const)
  await nurseSdk.consent.record(caseId, {
    decision,
    scope: decision === 'given' ? ['partner:synthesis'] : [],
    obtained: 'written',
  });
const sittings: string[] = [];
for (let day = 1; day <= 3; day++)
  sittings.push(
    await coord.sittings.create(new Date(Date.now() + day * 86_400_000), `Salle ${day}`, [nurse.id]),
  );

const get = (path: string, member = nurse) =>
  ta.app.inject({ method: 'GET', url: path, headers: member.headers });

t.test('the SDK returns every item of every list, across one-item pages', async (t) => {
  const members = await nurseSdk.members();
  t.same(members.map((m) => m.id).sort(), [coordinator.id, nurse.id, social.id].sort());
  t.ok(
    members.every((m) => m.keys !== undefined),
    'keys checked on every page',
  );
  const cases = (await nurseSdk.cases.list()).cases.map((c) => c.id);
  t.same(cases, [...referred].reverse(), 'situations, newest first');
  const history = (await nurseSdk.consent.history(caseId)).records.map((r) => r.decision);
  t.same(history, ['given', 'withdrawn', 'given'], 'consent history, oldest first');
  const mine = (await nurseSdk.sittings.list()).sittings.map((s) => s.id);
  t.same(mine, [...sittings].reverse(), 'sittings, latest first');
  t.same((await nurseSdk.sittings.myActions()).actions, []);
  t.same((await coord.sittings.overdue()).actions, []);
});

t.test('each page holds one item and says where the next one starts', async (t) => {
  const lists = [
    ['/v1/members', 'members'],
    ['/v1/cases', 'cases'],
    [`/v1/cases/${caseId}/consent`, 'records'],
    ['/v1/sittings', 'sittings'],
  ] as const;
  for (const [path, field] of lists) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(cursor === null ? path : `${path}?cursor=${cursor}`);
      t.equal(res.statusCode, 200, path);
      const page = res.json<Record<string, unknown>>();
      const items = page[field] as { id: string }[];
      t.equal(items.length, 1, `${path}: one item a page`);
      seen.push(...items.map((i) => i.id));
      cursor = page.nextCursor as string | null;
    } while (cursor !== null);
    t.equal(new Set(seen).size, 3, `${path}: three items, none twice`);
  }
});

t.test('a cursor works only for the list and the scope it came from', async (t) => {
  const members = (await get('/v1/members')).json<{ nextCursor: string }>().nextCursor;
  const cases = (await get('/v1/cases')).json<{ nextCursor: string }>().nextCursor;
  const consent = (await get(`/v1/cases/${caseId}/consent`)).json<{ nextCursor: string }>().nextCursor;
  const refusals: [string, typeof nurse][] = [
    [`/v1/cases?cursor=${members}`, nurse],
    [`/v1/sittings?cursor=${cases}`, nurse],
    [`/v1/actions/mine?cursor=${cases}`, nurse],
    // Another member's position in their own list of situations.
    [`/v1/cases?cursor=${cases}`, coordinator],
    // The history of one situation, continued on another.
    [`/v1/cases/${referred[1]}/consent?cursor=${consent}`, nurse],
    [`/v1/actions/overdue?cursor=garbage`, coordinator],
    [`/v1/members?cursor=${Buffer.from('{"l":"members"}').toString('base64url')}`, nurse],
  ];
  for (const [path, member] of refusals) {
    const res = await get(path, member);
    t.equal(res.statusCode, 400, path);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.json<{ code: string }>().code, 'VALIDATION_FAILED');
  }
});
