import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { asOwner } from '../helpers/owner.js';
import { cellule } from '../helpers/cellule.js';
import type { TestMember } from '../helpers/members.js';
import * as accessMetadata from '../../migrations/2026113005_access_metadata.js';

// What a sitting shows of each situation is the policy's decision: the reference to those who may
// read the situation, its decisions and actions to those who may read its committee compartment.
// Every read of a list, a sitting, the consent or the exceptions is in the person's access report.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
  outsider: 'partner',
  elected: 'elected_official',
});
const { coordinator, nurse, sw, landlord, outsider, elected } = cell.members;
const { coordinator: coord, nurse: nurseSdk, sw: swSdk } = cell.sdk;
const enc = (s: string) => new TextEncoder().encode(s);

// The landlord takes part; the person consented to his reading the synthesis, not the committee.
// The coordinator takes part in the first situation only.
const kase = (
  await cell.situation({
    by: 'nurse',
    reason: 'troubles_psychiques',
    urgency: 'soon',
    accepted: true,
    participants: ['sw', 'landlord', 'coordinator'],
  })
).id;
const other = (await cell.situation({ by: 'nurse', accepted: true, participants: ['sw'] })).id;
await swSdk.consent.record(kase, { decision: 'given', scope: ['partner:synthesis'], obtained: 'written' });
await nurseSdk.cases.write(kase, 'committee', enc('ouverture'));
await nurseSdk.cases.shareKeys(kase);
await nurseSdk.cases.write(other, 'committee', enc('ouverture'));
await nurseSdk.cases.shareKeys(other);
const sittingId = await coord.sittings.create(new Date('2026-12-03T14:00:00Z'), 'Mairie', [
  nurse.id,
  sw.id,
  landlord.id,
  elected.id,
]);
const item = await coord.sittings.addToAgenda(sittingId, kase);
const otherItem = await coord.sittings.addToAgenda(sittingId, other);
const decision = await coord.sittings.decide(sittingId, item, 'visite_conjointe', 'agrees');
const action = await coord.sittings.action(
  sittingId,
  item,
  kase,
  sw.id,
  '2026-01-10',
  enc('visite'),
  decision,
);
const otherDecision = await coord.sittings.decide(sittingId, otherItem, 'orientation_soins', 'not_asked');

const view = (m: TestMember) =>
  app.inject({ method: 'GET', url: `/v1/sittings/${sittingId}`, headers: m.headers });
interface ItemSeen {
  itemId: string;
  case: unknown;
  decisions: unknown[];
  actions: unknown[];
}
const itemOf = (body: { agenda: ItemSeen[] }, id: string): ItemSeen => {
  const found = body.agenda.find((i) => i.itemId === id);
  if (found === undefined) throw new Error(`no agenda item ${id}`);
  return found;
};

t.test('decisions and actions follow the committee compartment, not the agenda', async (t) => {
  const seen = (await view(landlord)).json();
  t.ok(itemOf(seen, item).case, 'the landlord takes part: the situation is named');
  t.same(itemOf(seen, item).decisions, [], 'his consent does not cover the committee: no decision');
  t.same(itemOf(seen, item).actions, [], 'and no follow-up action');
  t.notOk(JSON.stringify(seen).includes(decision), 'not even their ids');
  t.equal(itemOf(seen, otherItem).case, null, 'the other situation is not named');

  const nurseView = (await view(nurse)).json();
  t.equal(itemOf(nurseView, item).decisions.length, 1, 'the care team reads them');
  t.equal(itemOf(nurseView, item).actions.length, 1);
  const chair = (await view(coordinator)).json();
  t.equal(itemOf(chair, otherItem).decisions.length, 1, 'the coordinator, who records them, too');

  await swSdk.consent.record(kase, {
    decision: 'given',
    scope: ['partner:synthesis', 'partner:committee'],
    obtained: 'written',
  });
  t.equal(itemOf((await view(landlord)).json(), item).decisions.length, 1, 'once consent covers it');
  await swSdk.consent.record(kase, { decision: 'given', scope: ['partner:synthesis'], obtained: 'written' });
});

t.test('who sees a sitting is decided by the policy, and refusals are recorded', async (t) => {
  const notConvened = await view(outsider);
  t.equal(notConvened.statusCode, 404, 'a partner not convened: not found');
  const byElected = await view(elected);
  t.equal(byElected.statusCode, 403, 'an elected official, even convened: no sittings for his role');
  await eventsSealed(ctx.db);
  for (const res of [notConvened, byElected]) {
    const event = await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', String(res.headers['x-request-id']))
      .executeTakeFirstOrThrow();
    t.match(event, { type: 'access.denied', action: 'sitting.read', resource_id: sittingId });
  }
  const list = await app.inject({ method: 'GET', url: '/v1/sittings', headers: outsider.headers });
  t.same(list.json().sittings, [], 'nor does he find it in the list');
});

t.test('reads of lists, sittings, consent and exceptions are in the access report', async (t) => {
  for (const path of [
    `/v1/cases/${kase}/consent`,
    `/v1/cases/${kase}/exceptions`,
    `/v1/sittings/${sittingId}`,
    '/v1/cases',
    '/v1/actions/mine',
  ]) {
    const res = await app.inject({ method: 'GET', url: path, headers: sw.headers });
    t.equal(res.statusCode, 200, path);
  }
  const overdue = await app.inject({
    method: 'GET',
    url: '/v1/actions/overdue',
    headers: coordinator.headers,
  });
  t.equal(overdue.json().actions.length, 1);
  const report = await app.inject({
    method: 'GET',
    url: `/v1/cases/${kase}/access-report`,
    headers: coordinator.headers,
  });
  const lines = report.json().lines as { type: string; action: string | null; memberId: string }[];
  const mine = lines.filter((l) => l.memberId === sw.id).map((l) => `${l.type} ${l.action ?? ''}`.trim());
  for (const expected of [
    'consent.read',
    'exception.read',
    'sitting.read',
    'list.read case.list',
    'list.read action.list_mine',
  ])
    t.ok(mine.includes(expected), `${expected} is in the report`);
  t.ok(
    lines.some(
      (l) => l.memberId === coordinator.id && l.type === 'list.read' && l.action === 'action.list_overdue',
    ),
    'the overdue watch list too',
  );
  const otherReport = await app.inject({
    method: 'GET',
    url: `/v1/cases/${other}/access-report`,
    headers: coordinator.headers,
  });
  t.notOk(
    (otherReport.json().lines as { type: string; memberId: string }[]).some(
      (l) => l.memberId === landlord.id && l.type === 'sitting.read',
    ),
    'a situation a sitting did not show is not recorded as read',
  );
});

t.test('an action names a decision of its own situation, or none', async (t) => {
  const description = await coord.cases.write(kase, 'committee', enc('appel'), { kind: 'action' });
  const res = await app.inject({
    method: 'POST',
    url: `/v1/sittings/${sittingId}/agenda/${item}/actions`,
    headers: coordinator.headers,
    payload: {
      assigneeId: sw.id,
      dueOn: '2027-01-10',
      descriptionEntryId: description,
      decisionId: otherDecision,
    },
  });
  t.equal(res.statusCode, 400, "another situation's decision is refused");
  t.match(res.json().detail, /same situation/);
  await t.rejects(
    ctx.db
      .updateTable('follow_up_actions')
      .set({ decision_id: randomUUID() })
      .where('id', '=', action)
      .execute(),
    /foreign key/,
    'the database refuses a link to no decision',
  );
  await asOwner(ta.db, async (db) => {
    await accessMetadata.down(db);
    await db
      .updateTable('follow_up_actions')
      .set({ decision_id: otherDecision })
      .where('id', '=', action)
      .execute();
    await accessMetadata.up(db);
    const row = await db
      .selectFrom('follow_up_actions')
      .select('decision_id')
      .where('id', '=', action)
      .executeTakeFirstOrThrow();
    t.equal(
      row.decision_id,
      null,
      'a link recorded before, to another situation, is dropped by the migration',
    );
  });
});
