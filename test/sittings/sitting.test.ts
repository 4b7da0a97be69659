import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { addMember } from '../helpers/members.js';

// A full sitting: 3 situations, 5 members. Each sees the agenda items and minutes of the situations
// they take part in, and of the others only that there is one; minutes freeze when the sitting closes.

const ta = await startTestApp(t);
const { app, clock } = ta;
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
  police: 'partner',
});
const { coordinator, nurse, sw, landlord, police } = cell.members;
const { coordinator: coord, nurse: nurseSdk, sw: swSdk, landlord: landlordSdk, police: policeSdk } = cell.sdk;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

// Situation A: nurse + social worker. B: nurse + landlord (with consent). C: social worker only.
const situation = async (
  by: 'nurse' | 'sw',
  reason: string,
  urgency: 'routine' | 'soon' | 'urgent',
  participants: ('sw' | 'landlord' | 'coordinator')[],
) => (await cell.situation({ by, reason, urgency, accepted: true, participants })).id;
const a = await situation('nurse', 'rupture_soins', 'urgent', ['sw', 'coordinator']);
const b = await situation('nurse', 'incurie', 'soon', ['landlord', 'coordinator']);
const c = await situation('sw', 'dettes', 'routine', ['coordinator']);
await nurseSdk.consent.record(b, { decision: 'given', scope: ['partner:committee'], obtained: 'written' });
for (const id of [a, b]) await nurseSdk.cases.shareKeys(id);
await swSdk.cases.write(c, 'committee', enc('ouverture du dossier'));
await swSdk.cases.shareKeys(c);

const sittingId = await coord.sittings.create(new Date('2026-12-03T14:00:00Z'), 'Mairie, salle du conseil', [
  nurse.id,
  sw.id,
  landlord.id,
  police.id,
  coordinator.id,
]);
const items: Record<string, string> = {};
for (const id of [a, b, c]) items[id] = await coord.sittings.addToAgenda(sittingId, id);

t.test('each member sees exactly the agenda items they are entitled to', async (t) => {
  const seen = async (sdk: NonNullable<typeof coord>) =>
    (await sdk.sittings.view(sittingId)).agenda.map((i) => (i.case === null ? null : i.case.id));
  t.same(await seen(coord), [a, b, c], 'the coordinator sees every situation');
  t.same(await seen(nurseSdk), [a, b, null]);
  t.same(await seen(swSdk), [a, null, c]);
  t.same(await seen(landlordSdk), [null, b, null]);
  t.same(
    await seen(policeSdk),
    [null, null, null],
    'a convened member of no situation sees only that there are three',
  );
  const view = await policeSdk.sittings.view(sittingId);
  const references = (await coord.sittings.view(sittingId)).agenda.map((i) => i.case?.reference ?? '');
  t.equal(references.filter((r) => r !== '').length, 3);
  t.notOk(
    references.some((r) => JSON.stringify(view).includes(r)),
    'no reference of a situation one is not party to',
  );
  t.equal(view.agenda[0]?.label, 'une situation à laquelle vous ne participez pas');
  const stranger = await addMember(ta, coordinator, 'social_worker');
  t.equal(
    (await app.inject({ method: 'GET', url: `/v1/sittings/${sittingId}`, headers: stranger.headers }))
      .statusCode,
    404,
    'not convened: not found',
  );
});

t.test('the file active shows the next sitting that will discuss each situation', async (t) => {
  const next = async (sdk: NonNullable<typeof coord>) =>
    Object.fromEntries((await sdk.cases.list()).cases.map((s) => [s.id, s.nextSittingAt]));
  const when = '2026-12-03T14:00:00.000Z';
  t.same(await next(coord), { [a]: when, [b]: when, [c]: when });
  t.same(await next(landlordSdk), { [b]: when }, 'only the situations one takes part in');
  const later = await cell.situation({ by: 'nurse', reason: 'incurie', accepted: true });
  t.equal((await next(nurseSdk))[later.id], null, 'a situation on no agenda has none');
});

t.test('minutes, decisions, attendance, and who reads the minutes', async (t) => {
  await coord.sittings.minutes(
    sittingId,
    items[a]!,
    a,
    enc('A : orientation CMP proposée, visite conjointe le 10.'),
  );
  await coord.sittings.minutes(sittingId, items[b]!, b, enc('B : désencombrement avec le bailleur.'));
  await coord.sittings.minutes(sittingId, items[c]!, c, enc('C : plan d’apurement de la dette.'));
  const decision = await coord.sittings.decide(sittingId, items[a]!, 'visite_conjointe', 'agrees');
  await coord.sittings.action(
    sittingId,
    items[a]!,
    a,
    sw.id,
    '2026-12-10',
    enc('organiser la visite conjointe'),
    decision,
  );
  await coord.sittings.attendance(sittingId, [
    { memberId: nurse.id, attendance: 'present' },
    { memberId: sw.id, attendance: 'present' },
    { memberId: landlord.id, attendance: 'excused' },
    { memberId: police.id, attendance: 'absent' },
    { memberId: coordinator.id, attendance: 'present' },
  ]);
  await coord.sittings.hold(sittingId);
  const minutesOf = async (sdk: NonNullable<typeof coord>, id: string) =>
    (await sdk.cases.read(id, 'committee')).filter((e) => e.kind === 'minutes').map((e) => dec(e.plaintext));
  t.same(await minutesOf(swSdk, a), ['A : orientation CMP proposée, visite conjointe le 10.']);
  t.same(
    await minutesOf(landlordSdk, b),
    ['B : désencombrement avec le bailleur.'],
    'with consent, the landlord reads the minutes of B',
  );
  await t.rejects(
    landlordSdk.cases.read(a, 'committee'),
    { name: 'ApiError', status: 404 },
    'and nothing of A',
  );
  await t.rejects(policeSdk.cases.read(c, 'committee'), { name: 'ApiError', status: 404 });
  const viewA = (await swSdk.sittings.view(sittingId)).agenda[0]!;
  t.match(viewA.decisions, [{ category: 'visite_conjointe', adhesion: 'agrees' }]);
  t.match(viewA.actions, [{ assigneeId: sw.id, dueOn: '2026-12-10', status: 'open' }]);
  await t.rejects(
    swSdk.sittings.adhesion(decision, 'disagrees'),
    { name: 'ApiError' },
    'the person’s adhesion is recorded by the coordinator alone',
  );
  await coord.sittings.adhesion(decision, 'disagrees');
  t.match(
    (await swSdk.sittings.view(sittingId)).agenda[0]!.decisions,
    [{ id: decision, adhesion: 'disagrees' }],
    'once asked, the person disagrees',
  );
});

t.test('a sitting held is no longer the next one', async (t) => {
  const listed = (await nurseSdk.cases.list()).cases.find((s) => s.id === a);
  t.equal(listed?.nextSittingAt, null);
});

t.test('closing freezes the minutes; a correction is a new entry referring to the original', async (t) => {
  await coord.sittings.close(sittingId);
  await t.rejects(coord.sittings.minutes(sittingId, items[a]!, a, enc('ajout après coup')), {
    code: 'MINUTES_FROZEN',
    status: 409,
  });
  await t.rejects(coord.sittings.decide(sittingId, items[a]!, 'veille'), { code: 'MINUTES_FROZEN' });
  const original = (await nurseSdk.cases.read(a, 'committee')).find((e) => e.kind === 'minutes')!;
  const correction = await nurseSdk.sittings.correct(
    a,
    original.id,
    enc('Correction : la visite est le 12, pas le 10.'),
  );
  const entries = await swSdk.cases.read(a, 'committee');
  t.match(
    entries.filter((e) => e.kind !== 'action'),
    [
      { id: original.id, kind: 'minutes' },
      { id: correction, kind: 'correction', refersTo: original.id },
    ],
  );
  t.equal(
    dec(entries.find((e) => e.id === original.id)!.plaintext),
    'A : orientation CMP proposée, visite conjointe le 10.',
    'the original is unchanged',
  );
  const direct = await app.inject({
    method: 'POST',
    url: `/v1/cases/${a}/compartments/committee/entries`,
    headers: coordinator.headers,
    payload: {
      id: crypto.randomUUID(),
      keyVersion: 1,
      kind: 'minutes',
      nonce: Buffer.alloc(24).toString('base64'),
      ciphertext: Buffer.alloc(32).toString('base64'),
      signature: Buffer.alloc(64).toString('base64'),
    },
  });
  t.equal(direct.statusCode, 400, 'minutes cannot be slipped in through the generic route');
});

t.test('my actions, overdue first; the coordinator sees overdue references and dates only', async (t) => {
  const second = await coord.sittings.create(new Date('2026-12-17T14:00:00Z'), 'Visio', [
    sw.id,
    coordinator.id,
  ]);
  const item = await coord.sittings.addToAgenda(second, c);
  await coord.sittings.action(second, item, c, sw.id, '2027-03-01', enc('point sur le plan d’apurement'));
  clock.set(new Date('2026-12-20T09:00:00Z'));
  const mine = (await swSdk.sittings.myActions()).actions;
  t.match(mine, [
    { dueOn: '2026-12-10', overdue: true },
    { dueOn: '2027-03-01', overdue: false },
  ]);
  const overdue = (await coord.sittings.overdue()).actions;
  t.equal(overdue.length, 1);
  t.same(Object.keys(overdue[0]!).sort(), ['dueOn', 'id', 'reference']);
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/actions/overdue', headers: sw.headers })).statusCode,
    403,
  );
  await swSdk.sittings.completeAction(mine[0]!.id);
  t.equal((await coord.sittings.overdue()).actions.length, 0, 'done actions are no longer overdue');
  await t.rejects(
    landlordSdk.sittings.completeAction(mine[1]!.id),
    { name: 'ApiError', status: 404 },
    'someone else cannot close it',
  );
  clock.set(new Date());
});
