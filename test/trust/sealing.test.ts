import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { sdkFor } from '../helpers/members.js';
import { lyingProxy } from '../helpers/lying-proxy.js';
import { GrantsRefusedError, NotEntitledError } from '../../src/client/key-refusals.js';

// A server that lies about who should get a key: it lists rogue members as waiting for the health
// key (pendingGrants), or as participants holding it. The device computes who may hold each key
// itself (src/client/entitled.ts): nothing is sealed to them, the honest grants still go out, and
// no grant for them reaches the database.

const ta = await startTestApp(t);
const cell = await cellule(ta, {
  nurse: 'health_professional',
  doctor: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
  outsider: 'health_professional',
  operator: 'operator',
});
const { members: m, sdk } = cell;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const CASE_PATH = /^\/v1\/cases\/[0-9a-f-]{36}$/;

/** The grantees of the grants the device posts through the proxy, as the API receives them. */
function watchGrants(proxy: Awaited<ReturnType<typeof lyingProxy>>) {
  const sent: string[] = [];
  proxy.request('POST', /\/grants$/, (body) => {
    sent.push(body.granteeId);
    return body;
  });
  proxy.request('POST', /\/keys$/, (body) => {
    for (const g of body.grants) sent.push(g.granteeId);
    return body;
  });
  return sent;
}

async function healthGrantees(caseId: string): Promise<string[]> {
  const rows = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('case_id', '=', caseId)
    .where('compartment', '=', 'health')
    .execute();
  return rows.map((r) => r.grantee_id).sort();
}

t.test('rogue members in pendingGrants get nothing; the honest grant still goes out', async (t) => {
  const situation = await cell.situation({
    by: 'nurse',
    accepted: true,
    participants: ['sw', 'landlord'],
    entries: { health: ['tension artérielle instable'] },
  });
  const id = situation.id;
  await sdk.nurse.cases.addParticipant(id, m.doctor.id, undefined, { handOverKeys: false });

  const proxy = await lyingProxy(t, cell.url);
  const rogues = [m.operator.id, m.outsider.id, m.landlord.id, m.sw.id];
  proxy.response('GET', CASE_PATH, (view) => {
    for (const memberId of rogues)
      view.pendingGrants.push({ compartment: 'health', keyVersion: 1, memberId });
    return view;
  });
  const sent = watchGrants(proxy);
  const nurse = sdkFor(proxy.url, m.nurse);

  let refusal: unknown;
  await nurse.cases.shareKeys(id).catch((err: unknown) => (refusal = err));
  t.ok(proxy.rewritten() > 0, 'the server lied');
  t.type(refusal, GrantsRefusedError, 'shareKeys names what it refused');
  const refused = refusal as GrantsRefusedError;
  t.same(
    refused.refused.map((r) => r.memberId).sort(),
    [...rogues].sort(),
    'every rogue grantee, and only them',
  );
  t.ok(refused.refused.every((r) => r instanceof NotEntitledError && r.compartment === 'health'));
  t.equal(refused.given, 1, 'the doctor got their key all the same');
  t.same(sent, [m.doctor.id], 'nothing was sealed to anyone else');
  t.same(await healthGrantees(id), [m.doctor.id, m.nurse.id].sort(), 'no grant row for a rogue member');
  t.same(
    (await sdk.doctor.cases.read(id, 'health')).map((e) => dec(e.plaintext)),
    ['tension artérielle instable'],
    'the doctor reads the health compartment',
  );

  await t.rejects(
    nurse.cases.grant(id, 'health', m.operator.id, 1),
    NotEntitledError,
    'one grant asked for an operator: refused on the device',
  );
  await t.rejects(nurse.cases.grant(id, 'health', m.outsider.id, 1), NotEntitledError);
  t.same(sent, [m.doctor.id], 'still nothing sealed to them');
  t.same(await healthGrantees(id), [m.doctor.id, m.nurse.id].sort());
});

t.test('a participant list that adds an operator holding health: the rotation leaves them out', async (t) => {
  const { id } = await cell.situation({ by: 'nurse', accepted: true, participants: ['doctor'] });
  const proxy = await lyingProxy(t, cell.url);
  proxy.response('GET', CASE_PATH, (view) => {
    // The operator, said to be a health professional taking part with every compartment.
    view.participants.push({
      memberId: m.operator.id,
      role: 'health_professional',
      compartments: ['identity', 'synthesis', 'social', 'health', 'committee'],
      addedBy: m.coordinator.id,
    });
    return view;
  });
  const sent = watchGrants(proxy);
  const nurse = sdkFor(proxy.url, m.nurse);
  await nurse.cases.write(id, 'health', new TextEncoder().encode('suivi psychiatrique'));
  t.ok(proxy.rewritten() > 0, 'the server lied');
  t.same(
    sent.sort(),
    [m.doctor.id, m.nurse.id].sort(),
    'the new key was sealed to the nurse and the doctor only',
  );
  t.same(await healthGrantees(id), [m.doctor.id, m.nurse.id].sort(), 'no grant row for the operator');
  t.same(
    (await sdk.doctor.cases.read(id, 'health')).map((e) => dec(e.plaintext)),
    ['suivi psychiatrique'],
  );
});
