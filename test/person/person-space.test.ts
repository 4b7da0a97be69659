import t from 'tap';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { cellule } from '../helpers/cellule.js';
import { addPerson, enrollWithCode, sdkFor } from '../helpers/members.js';
import { inviteRequest, postStatement } from '../helpers/directory.js';
import { PERSON_CARD } from '../../src/cases/person-invitation.js';

// The person a situation is about, in their own space (docs/adr/0030): what they read and do, and
// everything they try beyond it, refused and audited. Real HTTP, real keys, real logs.

const ta = await startTestApp(t);
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
  colleague: 'health_professional',
});
const { nurse, sw, landlord, colleague, coordinator } = cell.members;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const a = (await cell.situation({ by: 'nurse', accepted: true, participants: ['sw', 'landlord'] })).id;
const b = (await cell.situation({ by: 'nurse', accepted: true })).id;
await cell.sdk.nurse.consent.record(a, {
  decision: 'given',
  scope: ['partner:synthesis', 'partner:person'],
  obtained: 'written',
});
await cell.sdk.nurse.cases.write(a, 'synthesis', enc('synthèse partagée'));
await cell.sdk.nurse.cases.write(a, 'person', enc('résumé écrit pour la personne'));
await cell.sdk.nurse.cases.write(a, 'health', enc('note de santé'));
await cell.sdk.nurse.cases.shareKeys(a);

const person = await addPerson(ta, cell.url, nurse, a);
const personSdk = sdkFor(cell.url, person);
await cell.sdk.nurse.cases.shareKeys(a);

const denials = async (memberId: string, caseId: string) => {
  await eventsSealed(ta.ctx.db);
  return ta.ctx.db
    .selectFrom('audit_events')
    .select(['action', 'compartment', 'reason'])
    .where('actor_id', '=', memberId)
    .where('case_id', '=', caseId)
    .where('type', '=', 'access.denied')
    .execute();
};
const as = (member: typeof person) => ({ headers: member.headers });

t.test('the person reads their own space, without a charte, and no other compartment', async (t) => {
  const own = await personSdk.cases.read(a, 'person');
  t.same(
    own.map((e) => dec(e.plaintext)),
    ['résumé écrit pour la personne'],
  );
  for (const compartment of COMPARTMENTS.filter((c) => c !== 'person')) {
    const res = await ta.app.inject({
      method: 'GET',
      url: `/v1/cases/${a}/compartments/${compartment}/entries`,
      ...as(person),
    });
    t.equal(res.statusCode, 403, `${compartment}: refused`);
    t.notMatch(res.body, /note de santé|synthèse/);
  }
  const refused = await denials(person.id, a);
  t.same(
    refused.map((d) => d.compartment).sort(),
    COMPARTMENTS.filter((c) => c !== 'person').sort(),
    'each refusal audited with its compartment',
  );
  const keys = await ta.ctx.db
    .selectFrom('key_grants')
    .select('compartment')
    .where('case_id', '=', a)
    .where('grantee_id', '=', person.id)
    .execute();
  t.same(
    keys.map((k) => k.compartment),
    ['person'],
    'the only key the person holds is their own space',
  );
});

t.test('nothing of the cellule, and nothing of anyone else', async (t) => {
  const tries: [string, string, unknown?][] = [
    ['GET', `/v1/cases/${b}`],
    ['GET', `/v1/cases/${b}/access-report`],
    ['GET', '/v1/sittings'],
    ['GET', '/v1/actions/mine'],
    ['POST', `/v1/cases/${a}/participants`, { memberId: landlord.id }],
    ['DELETE', `/v1/cases/${a}/participants/${landlord.id}`],
    [
      'POST',
      `/v1/cases/${a}/exceptions`,
      {
        basis: 'danger_grave_imminent',
        scope: ['partner:committee'],
        justificationEntryId: crypto.randomUUID(),
        durationHours: 72,
      },
    ],
    [
      'POST',
      `/v1/cases/${a}/person-invitations`,
      { invitationId: crypto.randomUUID(), codeHash: Buffer.alloc(32, 1).toString('base64') },
    ],
    ['POST', `/v1/cases/${a}/close`, { outcome: 'resolue' }],
  ];
  for (const [method, url, payload] of tries) {
    const res = await ta.app.inject({
      method: method as 'GET',
      url,
      ...as(person),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    t.ok([400, 403, 404].includes(res.statusCode), `${method} ${url}: ${res.statusCode}`);
    t.not(res.statusCode, 400, `${method} ${url}: refused by the gate, not by the input`);
  }
  const listed = await personSdk.cases.list();
  t.same(
    listed.cases.map((c) => c.id),
    [a],
    'the person lists their own situation only',
  );
});

t.test('an account for one situation, certified by whoever invited them', async (t) => {
  const added = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${b}/participants`,
    headers: nurse.headers,
    payload: { memberId: person.id, compartments: ['person'] },
  });
  t.equal(added.statusCode, 409, 'not added to a situation they were not invited to');

  await t.rejects(
    addPerson(ta, cell.url, landlord, a),
    /person invitation failed: 403/,
    'a partner does not invite the person',
  );
  const newcomer = await addPerson(ta, cell.url, nurse, b, { added: false });
  await t.rejects(
    cell.sdk.nurse.cases.addParticipant(b, newcomer.id, ['person', 'health']),
    { code: 'VALIDATION_FAILED' },
    'the person holds their own space and nothing else',
  );

  const invitation = await inviteRequest(nurse, nurse.anchor, {
    role: 'person',
    organisation: '-',
    displayName: '-',
  });
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${b}/person-invitations`,
    headers: nurse.headers,
    payload: { invitationId: invitation.body.invitationId, codeHash: invitation.body.codeHash },
  });
  t.equal(res.statusCode, 201);
  const enrolled = await enrollWithCode(ta.app, invitation.token);
  // A colleague who did not invite them, and a landlord, sign the person's certificate over the
  // keys the server registered: both refused, and audited.
  const certificate = {
    kind: 'certify' as const,
    subjectId: enrolled.memberId,
    role: 'person',
    organisation: PERSON_CARD.organisation,
    displayName: PERSON_CARD.displayName,
    signPublicKey: enrolled.keys.signPublicKey,
    boxPublicKey: enrolled.keys.boxPublicKey,
    keyVersion: enrolled.keys.version,
  };
  t.equal(
    (await postStatement(ta.app, colleague, certificate)).statusCode,
    409,
    'not by another professional',
  );
  t.equal((await postStatement(ta.app, landlord, certificate)).statusCode, 403, 'not by a partner');
  await eventsSealed(ta.ctx.db);
  const refusals = await ta.ctx.db
    .selectFrom('audit_events')
    .select('actor_id')
    .where('type', '=', 'member.certified')
    .where('subject_id', '=', enrolled.memberId)
    .where('outcome', '=', 'denied')
    .execute();
  t.equal(refusals.length, 1, "the colleague's attempt is audited (the landlord's is refused at the gate)");
  t.equal((await postStatement(ta.app, nurse, certificate)).statusCode, 201, 'by the nurse who invited them');

  const asMember = await ta.app.inject({
    method: 'POST',
    url: '/v1/members/invitations',
    headers: coordinator.headers,
    payload: (
      await inviteRequest(coordinator, coordinator.anchor, {
        role: 'person',
        organisation: 'x',
        displayName: 'y',
      })
    ).body,
  });
  t.equal(asMember.statusCode, 400, 'the person is not invited as a member of the CLSM');
});

t.test(
  "the person withdraws the landlord's access: refused at once, the next entry under a new key",
  async (t) => {
    t.equal(
      (await cell.sdk.landlord.cases.read(a, 'synthesis')).length,
      1,
      'the landlord reads the synthesis',
    );
    const recorded = await personSdk.consent.record(a, { decision: 'given', scope: [], obtained: 'written' });
    t.equal(recorded.pending, false, 'a narrowing takes effect at once');
    const refused = await ta.app.inject({
      method: 'GET',
      url: `/v1/cases/${a}/compartments/synthesis/entries`,
      headers: landlord.headers,
    });
    t.equal(refused.statusCode, 403, 'the landlord is refused at once');
    t.ok(
      (await denials(landlord.id, a)).some((d) => d.compartment === 'synthesis'),
      "the landlord's refusal is audited",
    );
    const grants = await ta.ctx.db
      .selectFrom('key_grants')
      .select('compartment')
      .where('case_id', '=', a)
      .where('grantee_id', '=', landlord.id)
      .execute();
    t.same(grants, [], 'the landlord holds no key of the situation any more');

    const before = (await cell.sdk.nurse.cases.view(a)).compartments.find((c) => c.name === 'synthesis');
    t.equal(before?.rotationRequired, true, 'the synthesis waits for a new key');
    await cell.sdk.nurse.cases.write(a, 'synthesis', enc('après le retrait'));
    const after = (await cell.sdk.nurse.cases.view(a)).compartments.find((c) => c.name === 'synthesis');
    t.equal(after?.keyVersion, (before?.keyVersion ?? 0) + 1, 'the next entry is under a new key');

    const report = await personSdk.cases.accessReport(a);
    t.ok(
      report.lines.some((l) => l.type === 'consent.recorded' && l.memberId === person.id),
      'the access report shows the person recorded it',
    );
    t.ok(
      report.lines.some((l) => l.memberId === landlord.id && l.outcome === 'denied'),
      "and the landlord's refusal",
    );
  },
);

t.test('what the consent opens to whoever vouches for the person waits for another', async (t) => {
  const c = (await cell.situation({ by: 'sw', accepted: true, participants: ['colleague'] })).id;
  const vouched = await addPerson(ta, cell.url, sw, c);
  const vouchedSdk = sdkFor(cell.url, vouched);
  const widening = await vouchedSdk.consent.record(c, {
    decision: 'given',
    scope: ['social_worker:health'],
    obtained: 'written',
  });
  t.equal(widening.pending, true, 'it waits');
  await t.rejects(
    cell.sdk.sw.consent.decideProposal(c, widening.id, 'confirm'),
    { code: 'FORBIDDEN' },
    'the social worker who added the person cannot confirm it',
  );
  await cell.sdk.colleague.consent.decideProposal(c, widening.id, 'confirm');
  const history = await vouchedSdk.consent.history(c);
  t.equal(history.records.at(-1)?.decision, 'given', 'a colleague confirmed it');
});

t.test('the person answers a decision about them, and nobody answers for them', async (t) => {
  const coord = cell.sdk.coordinator;
  const sittingId = await coord.sittings.create(new Date('2026-12-10T14:00:00Z'), 'Mairie', [
    nurse.id,
    sw.id,
  ]);
  const item = await coord.sittings.addToAgenda(sittingId, a);
  const decision = await coord.sittings.decide(sittingId, item, 'visite_conjointe');
  await personSdk.sittings.answer(decision, 'disagrees');
  const view = await coord.sittings.view(sittingId);
  t.equal(view.agenda[0]?.decisions[0]?.adhesion, 'disagrees', 'the cellule sees the answer');
  await eventsSealed(ta.ctx.db);
  const answered = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['actor_id', 'action'])
    .where('resource_id', '=', decision)
    .where('action', '=', 'decision.answer')
    .execute();
  t.same(answered, [{ actor_id: person.id, action: 'decision.answer' }], 'audited as the person’s');
  await t.rejects(
    cell.sdk.sw.sittings.answer(decision, 'agrees'),
    { code: 'FORBIDDEN' },
    'not a professional',
  );
  const stranger = await addPerson(ta, cell.url, nurse, b);
  await t.rejects(
    sdkFor(cell.url, stranger).sittings.answer(decision, 'agrees'),
    { code: 'NOT_FOUND' },
    'not another person',
  );
});
