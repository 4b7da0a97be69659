import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { IDENTITY_KEY, IDENTITY_SIGNATURE } from '../helpers/small-order.js';
import { fingerprint } from '../../src/crypto/device-keys.js';

// One bad entry in the directory — here the identity point "self-signed" with R = identity, S = 0,
// which OpenSSL accepts on any message, written straight into the database as a malicious server
// (or a member enrolled before the server verified by libsodium's rules) would have it, for a
// member no coordinator certified. Clients never use those keys; the entry is flagged, nothing is
// sealed to it, everything else keeps working, and a coordinator's device refuses to certify it.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const bad = await addMember(ta, coordinator, 'health_professional', { certified: false });
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
  t.equal(flagged?.keysRefused?.name, 'UncertifiedMemberError', 'flagged, with the reason');
  t.match(flagged?.keysRefused?.message, /no certificate/);
  for (const m of members.filter((x) => x.id !== bad.id))
    t.ok(m.keys !== undefined && m.keysRefused === undefined, `${m.role} ${m.id}: usable`);
  await t.rejects(nurseSdk.memberKeys(bad.id), { name: 'UncertifiedMemberError' });
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
    [],
    'the bad entry holds nothing',
  );
});

t.test('granting: a newcomer gets the keys, the bad entry gets nothing', async (t) => {
  await nurseSdk.cases.addParticipant(caseId, newcomer.id);
  t.same(
    (await grantsTo(newcomer.id)).map((g) => g.key_version),
    [2],
    'the newcomer was given the current key',
  );
  await t.rejects(nurseSdk.cases.grant(caseId, 'health', bad.id, 2), { name: 'UncertifiedMemberError' });
  t.same(
    (await grantsTo(bad.id)).map((g) => g.key_version),
    [],
    'asked for explicitly, the grant is still refused on the device',
  );
});

t.test("a coordinator's device refuses to certify keys that are not self-signed", async (t) => {
  const coordinatorSdk = sdkFor(url, coordinator);
  const print = await fingerprint(IDENTITY_KEY, bad.keys.boxPublicKey);
  await t.rejects(coordinatorSdk.directoryWriter.certify(bad.id, { fingerprint: print }), {
    name: 'BadKeysError',
    message: /not self-signed/,
  });
  await nurseSdk.cases.write(caseId, 'health', enc('plus tard'));
  t.equal((await doctorSdk.cases.read(caseId, 'health')).length, 4);
});
