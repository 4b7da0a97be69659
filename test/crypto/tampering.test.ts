import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { addMember, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { eventsOf } from '../helpers/audit.js';
import { fingerprint, generateDeviceKeys, publicDeviceKeys } from '../../src/crypto/device-keys.js';
import { encryptEntry } from '../../src/crypto/entries.js';
import { sealGrant } from '../../src/crypto/grants.js';

// Every way to alter what a reader gets is refused: by the server where it can tell, by the
// reading client otherwise. The altering is done as whoever controls the database.

const ta = await startTestApp(t);
const cell = await cellule(ta, { nurse: 'health_professional', doctor: 'health_professional' });
const { url } = cell;
const { coordinator, nurse, doctor } = cell.members;
const { nurse: nurseSdk, doctor: doctorSdk } = cell.sdk;
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

async function caseWithEntry(): Promise<{ caseId: string; entryId: string }> {
  const situation = await cell.situation({
    by: 'nurse',
    participants: ['doctor'],
    addedBy: 'nurse',
    entries: { health: ['appartement encombré, refus de visite'] },
  });
  t.equal((await doctorSdk.cases.read(situation.id, 'health')).length, 1, 'the untouched entry reads fine');
  return { caseId: situation.id, entryId: situation.entry('health') };
}

const asDba = (fn: Parameters<typeof asOwner>[1]) => asOwner(ta.db, fn);

t.test('a flipped bit in the ciphertext', async (t) => {
  const { caseId, entryId } = await caseWithEntry();
  await asDba((o) =>
    sql`update entries set ciphertext = set_byte(ciphertext, 3, get_byte(ciphertext, 3) # 1) where id = ${entryId}`.execute(
      o,
    ),
  );
  await t.rejects(doctorSdk.cases.read(caseId, 'health'), { name: 'EntryIntegrityError' });
});

t.test('a ciphertext moved to another compartment or another case', async (t) => {
  const { caseId, entryId } = await caseWithEntry();
  const other = await caseWithEntry();
  // Same key, signed and encrypted for caseId/health: moved into the other case.
  await asDba((o) => sql`update entries set case_id = ${other.caseId} where id = ${entryId}`.execute(o));
  await t.rejects(doctorSdk.cases.read(other.caseId, 'health'), { name: 'EntryIntegrityError' });
  await asDba((o) =>
    sql`update entries set case_id = ${caseId}, compartment = 'synthesis' where id = ${entryId}`.execute(o),
  );
  await nurseSdk.cases.write(caseId, 'synthesis', enc('synthèse'));
  await t.rejects(nurseSdk.cases.read(caseId, 'synthesis'), { name: 'EntryIntegrityError' });
});

t.test('a swapped key version, a changed author', async (t) => {
  const { caseId, entryId } = await caseWithEntry();
  await nurseSdk.cases.rotate(caseId, 'health');
  await asDba((o) => sql`update entries set key_version = 2 where id = ${entryId}`.execute(o));
  await t.rejects(doctorSdk.cases.read(caseId, 'health'), { name: 'EntryIntegrityError' });
  await asDba((o) =>
    sql`update entries set key_version = 1, author_id = ${doctor.id} where id = ${entryId}`.execute(o),
  );
  await t.rejects(doctorSdk.cases.read(caseId, 'health'), { name: 'EntryIntegrityError' });
});

t.test('the server refuses an entry whose signature is forged or made for another context', async (t) => {
  const { caseId } = await caseWithEntry();
  const view = await nurseSdk.cases.view(caseId);
  const version = view.compartments.find((c) => c.name === 'health')!.keyVersion;
  const key = new Uint8Array(32);
  const forger = await generateDeviceKeys();
  const post = async (sealed: Awaited<ReturnType<typeof encryptEntry>>) =>
    ta.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/compartments/health/entries`,
      headers: nurse.headers,
      payload: {
        id: sealed.context.entryId,
        keyVersion: version,
        kind: 'note',
        refersTo: null,
        nonce: b64(sealed.nonce),
        ciphertext: b64(sealed.ciphertext),
        signature: b64(sealed.signature),
      },
    });
  const context = {
    caseId,
    compartment: 'health',
    entryId: crypto.randomUUID(),
    keyVersion: version,
    authorId: nurse.id,
    kind: 'note',
    refersTo: null,
  };
  const forged = await post(await encryptEntry(context, enc('faux'), key, forger.signSecretKey));
  t.equal(forged.statusCode, 400);
  t.equal(forged.json().code, 'BAD_SIGNATURE');
  const elsewhere = await post(
    await encryptEntry({ ...context, compartment: 'social' }, enc('ailleurs'), key, nurse.keys.signSecretKey),
  );
  t.equal(elsewhere.statusCode, 400, 'signed for the social compartment, posted to health');
});

t.test('a grant signed by the wrong member, and a grant altered in the database', async (t) => {
  const { caseId } = await caseWithEntry();
  const third = await addMember(ta, coordinator, 'health_professional');
  await nurseSdk.cases.addParticipant(caseId, third.id, undefined, { handOverKeys: false });
  const thirdPub = await publicDeviceKeys(third.keys, { clsmId: third.clsmId, memberId: third.id });
  const forger = await generateDeviceKeys();
  const grant = await sealGrant(
    {
      caseId,
      compartment: 'health',
      keyVersion: 1,
      granterId: nurse.id,
      granteeId: third.id,
      granteeBoxPublicKey: thirdPub.boxPublicKey,
    },
    new Uint8Array(32),
    forger.signSecretKey,
  );
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/grants`,
    headers: nurse.headers,
    payload: {
      keyVersion: 1,
      granteeId: third.id,
      granteeKeyVersion: 1,
      sealedKey: b64(grant.sealedKey),
      signature: b64(grant.signature),
    },
  });
  t.equal(res.statusCode, 400, 'a grant not signed by the member who posts it is refused');
  t.equal(res.json().code, 'BAD_SIGNATURE');
  t.equal(await nurseSdk.cases.shareKeys(caseId), 1, 'the genuine grant goes through');
  await asDba((o) =>
    sql`update key_grants set granter_id = ${doctor.id} where case_id = ${caseId} and grantee_id = ${third.id}`.execute(
      o,
    ),
  );
  await t.rejects(sdkFor(url, third).cases.read(caseId, 'health'), { name: 'GrantIntegrityError' });
});

t.test('a participant who holds no copy of the key can neither write with it nor pass it on', async (t) => {
  const { caseId } = await caseWithEntry();
  const keyless = await addMember(ta, coordinator, 'health_professional');
  const outsider = await addMember(ta, coordinator, 'health_professional');
  for (const memberId of [keyless.id, outsider.id]) {
    const added = await nurseSdk.cases.addParticipant(caseId, memberId, undefined, { handOverKeys: false });
    t.same(added, { status: 'added' }, 'a participant, but nobody shared the keys yet');
  }
  const context = {
    caseId,
    compartment: 'health',
    entryId: crypto.randomUUID(),
    keyVersion: 1,
    authorId: keyless.id,
    kind: 'note',
    refersTo: null,
  };
  const sealed = await encryptEntry(
    context,
    enc('écrit sans la clé'),
    new Uint8Array(32),
    keyless.keys.signSecretKey,
  );
  const write = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: keyless.headers,
    payload: {
      id: context.entryId,
      keyVersion: 1,
      kind: 'note',
      refersTo: null,
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
      signature: b64(sealed.signature),
    },
  });
  const outsiderPub = await publicDeviceKeys(outsider.keys, {
    clsmId: outsider.clsmId,
    memberId: outsider.id,
  });
  const grant = await sealGrant(
    {
      caseId,
      compartment: 'health',
      keyVersion: 1,
      granterId: keyless.id,
      granteeId: outsider.id,
      granteeBoxPublicKey: outsiderPub.boxPublicKey,
    },
    new Uint8Array(32),
    keyless.keys.signSecretKey,
  );
  const share = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/grants`,
    headers: keyless.headers,
    payload: {
      keyVersion: 1,
      granteeId: outsider.id,
      granteeKeyVersion: 1,
      sealedKey: b64(grant.sealedKey),
      signature: b64(grant.signature),
    },
  });
  for (const [res, action] of [
    [write, 'compartment.write'],
    [share, 'grant.give'],
  ] as const) {
    t.equal(res.statusCode, 403, action);
    t.equal(res.json().code, 'FORBIDDEN', action);
    const events = (await eventsOf(ta.ctx.db, res)).map((e) => ({
      type: e.type,
      outcome: e.outcome,
      reason: e.reason,
      action: e.action,
      actor_id: e.actor_id,
    }));
    t.same(
      events,
      [{ type: 'access.denied', outcome: 'denied', reason: 'KEY_NOT_HELD', action, actor_id: keyless.id }],
      `the refused ${action} is audited`,
    );
  }
  const entries = await ta.ctx.db.selectFrom('entries').select('id').where('case_id', '=', caseId).execute();
  t.equal(entries.length, 1, 'nothing was written');
  const grants = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', outsider.id)
    .execute();
  t.same(grants, [], 'nothing was given');
});

t.test(
  'a public key substituted by the server changes nothing: clients use the certified keys',
  async (t) => {
    const { caseId } = await caseWithEntry();
    // Keys the server made itself, self-signed for the nurse: the directory log's certificate still
    // names her real ones.
    const fake = await publicDeviceKeys(await generateDeviceKeys(), {
      clsmId: nurse.clsmId,
      memberId: nurse.id,
    });
    await asDba(async (o) => {
      await sql`update member_keys set sign_public_key = ${Buffer.from(fake.signPublicKey)}, box_public_key = ${Buffer.from(fake.boxPublicKey)}, self_signature = ${Buffer.from(fake.selfSignature)} where member_id = ${nurse.id}`.execute(
        o,
      );
    });
    t.equal(
      (await doctorSdk.cases.read(caseId, 'health')).length,
      1,
      'her entries verify with her certified key',
    );
    const used = await doctorSdk.memberKeys(nurse.id);
    t.equal(
      await fingerprint(used.signPublicKey, used.boxPublicKey),
      await fingerprint(nurse.keys.signPublicKey, nurse.keys.boxPublicKey),
      'what is sealed to her goes to her real key',
    );
  },
);
