import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { IDENTITY_KEY, IDENTITY_SIGNATURE } from '../helpers/small-order.js';

// One bad entry in the directory — here the identity point "self-signed" with R = identity, S = 0,
// which OpenSSL accepts on any message, written straight into the database as a malicious server
// (or a member enrolled before the server verified by libsodium's rules) would have it. Clients
// refuse those keys; they used to refuse the whole directory with them, and stop working for the
// whole CLSM. Now the entry is flagged, nothing is sealed to it, and everything else keeps working.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const bad = await addMember(ta, coordinator, 'health_professional');
const newcomer = await addMember(ta, coordinator, 'health_professional');
const url = await listen(ta.app);
const [nurseSdk, doctorSdk] = [sdkFor(url, nurse), sdkFor(url, doctor)];
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const { id: caseId } = await nurseSdk.cases.refer('incurie', 'routine');
for (const m of [doctor, bad]) await nurseSdk.cases.addParticipant(caseId, m.id);
await nurseSdk.cases.write(caseId, 'health', enc('avant'));

await asOwner(ta.db, (o) =>
  sql`update member_keys set sign_public_key = ${Buffer.from(IDENTITY_KEY)}, self_signature = ${Buffer.from(IDENTITY_SIGNATURE)} where member_id = ${bad.id}`.execute(
    o,
  ),
);

const grantsTo = async (memberId: string) =>
  ta.ctx.db
    .selectFrom('key_grants')
    .select('key_version')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', memberId)
    .orderBy('key_version')
    .execute();

t.test('the directory: the bad entry is flagged, the others are usable', async (t) => {
  const members = await nurseSdk.members();
  const flagged = members.find((m) => m.id === bad.id);
  t.equal(flagged?.keys, undefined, 'no keys for the bad entry');
  t.equal(flagged?.keysRefused?.name, 'BadKeysError', 'flagged, with the reason');
  t.match(flagged?.keysRefused?.message, /not self-signed/);
  for (const m of members.filter((x) => x.id !== bad.id))
    t.ok(m.keys !== undefined && m.keysRefused === undefined, `${m.role} ${m.id}: usable`);
  await t.rejects(nurseSdk.memberKeys(bad.id), { name: 'BadKeysError' });
  t.ok(await nurseSdk.memberKeys(doctor.id), "a colleague's keys are still there");
});

t.test('reading and writing go on', async (t) => {
  await nurseSdk.cases.write(caseId, 'health', enc('après'));
  t.same(
    (await doctorSdk.cases.read(caseId, 'health')).map((e) => dec(e.plaintext)),
    ['avant', 'après'],
  );
});

t.test('rotating: the new key goes to every other entitled member, never to the bad entry', async (t) => {
  const version = await nurseSdk.cases.rotate(caseId, 'health');
  t.equal(version, 2);
  await doctorSdk.cases.write(caseId, 'health', enc('sous la version 2'));
  t.equal((await nurseSdk.cases.read(caseId, 'health')).length, 3);
  t.same(
    (await grantsTo(bad.id)).map((g) => g.key_version),
    [1],
    'the bad entry holds only what it had before the change',
  );
});

t.test('granting: a newcomer gets the keys, the bad entry gets nothing', async (t) => {
  await nurseSdk.cases.addParticipant(caseId, newcomer.id);
  t.same(
    (await grantsTo(newcomer.id)).map((g) => g.key_version),
    [2],
    'the newcomer was given the current key',
  );
  await t.rejects(nurseSdk.cases.grant(caseId, 'health', bad.id, 2), { name: 'BadKeysError' });
  t.same(
    (await grantsTo(bad.id)).map((g) => g.key_version),
    [1],
    'asked for explicitly, the grant is still refused on the device',
  );
});

t.test('suspending the bad entry changes nothing for the others', async (t) => {
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/members/${bad.id}/suspend`,
    headers: coordinator.headers,
  });
  t.equal(res.statusCode, 204);
  await nurseSdk.cases.write(caseId, 'health', enc('après la suspension'));
  t.equal((await doctorSdk.cases.read(caseId, 'health')).length, 4);
});
