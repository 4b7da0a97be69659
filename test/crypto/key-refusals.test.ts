import t, { type Test } from 'tap';
import { change } from '../../src/crypto/case-log-statements.js';
import { randomUUID } from 'node:crypto';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { eventsOf } from '../helpers/audit.js';
import { generateDeviceKeys } from '../../src/crypto/device-keys.js';
import { encryptEntry } from '../../src/crypto/entries.js';
import { sealGrant } from '../../src/crypto/grants.js';

// Refusals of what was sent on the key path — a signature that does not verify, a key version that
// is not the one to use, a key due for rotation — are audited like every refusal: the refused
// action's event with outcome `denied`, recorded after its transaction rolled back.

const ta = await startTestApp(t);
const cell = await cellule(ta, { nurse: 'health_professional', doctor: 'health_professional' });
const { coordinator, nurse, doctor } = cell.members;
const sdk = cell.sdk.nurse;
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const enc = (s: string) => new TextEncoder().encode(s);

async function refused(
  t: Test,
  res: Awaited<ReturnType<typeof ta.app.inject>>,
  expected: { status: number; code: string; type: string; subject?: string },
) {
  t.equal(res.statusCode, expected.status);
  t.equal(res.json().code, expected.code);
  t.same(
    (await eventsOf(ta.ctx.db, res)).map((e) => ({
      type: e.type,
      outcome: e.outcome,
      reason: e.reason,
      actor: e.actor_id,
      compartment: e.compartment,
      subject: e.subject_id,
    })),
    [
      {
        type: expected.type,
        outcome: 'denied',
        reason: expected.code,
        actor: nurse.id,
        compartment: 'health',
        subject: expected.subject ?? null,
      },
    ],
    `${expected.code} is audited as a refused ${expected.type}`,
  );
}

async function caseWithDoctorWaiting(): Promise<string> {
  const { id } = await sdk.cases.refer('incurie', 'routine');
  await sdk.cases.write(id, 'health', enc('première note'));
  await sdk.cases.addParticipant(id, doctor.id, undefined, { handOverKeys: false });
  return id;
}

const postEntry = async (caseId: string, keyVersion: number, signer = nurse.keys.signSecretKey) => {
  const context = {
    caseId,
    compartment: 'health',
    entryId: randomUUID(),
    keyVersion,
    authorId: nurse.id,
    kind: 'note',
    refersTo: null,
  };
  const sealed = await encryptEntry(context, enc('texte'), new Uint8Array(32), signer);
  return ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: nurse.headers,
    payload: {
      id: context.entryId,
      keyVersion,
      kind: 'note',
      refersTo: null,
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
      signature: b64(sealed.signature),
    },
  });
};

const grantBody = async (
  caseId: string,
  keyVersion: number,
  options: { granteeKeyVersion?: number; signer?: Uint8Array } = {},
) => {
  const grant = await sealGrant(
    {
      caseId,
      compartment: 'health',
      keyVersion,
      granterId: nurse.id,
      granteeId: doctor.id,
      granteeBoxPublicKey: doctor.keys.boxPublicKey,
    },
    new Uint8Array(32),
    options.signer ?? nurse.keys.signSecretKey,
  );
  return {
    granteeId: doctor.id,
    granteeKeyVersion: options.granteeKeyVersion ?? 1,
    sealedKey: b64(grant.sealedKey),
    signature: b64(grant.signature),
  };
};

const postGrant = async (caseId: string, keyVersion: number, body: object) =>
  ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/grants`,
    headers: nurse.headers,
    payload: { keyVersion, ...body },
  });

t.test('entries: a stale key version, a forged signature, a key due for rotation', async (t) => {
  const caseId = await caseWithDoctorWaiting();
  await sdk.cases.rotate(caseId, 'health');
  await refused(t, await postEntry(caseId, 1), {
    status: 409,
    code: 'KEY_VERSION_MISMATCH',
    type: 'entry.written',
  });
  const forger = await generateDeviceKeys();
  await refused(t, await postEntry(caseId, 2, forger.signSecretKey), {
    status: 400,
    code: 'BAD_SIGNATURE',
    type: 'entry.written',
  });
  const removed = await ta.app.inject({
    method: 'DELETE',
    url: `/v1/cases/${caseId}/participants/${doctor.id}`,
    headers: coordinator.headers,
    payload: {
      log: await cell.sdk.coordinator.caseLogs.seal(caseId, change('removed', { subjectId: doctor.id })),
    },
  });
  t.equal(removed.statusCode, 204, 'the doctor leaves: the health key must be rotated');
  await refused(t, await postEntry(caseId, 2), {
    status: 409,
    code: 'ROTATION_REQUIRED',
    type: 'entry.written',
  });
  const entries = await ta.ctx.db.selectFrom('entries').select('id').where('case_id', '=', caseId).execute();
  t.equal(entries.length, 1, 'none of them was stored');
});

t.test('grants: the grantee key version, a version that does not exist, a forged signature', async (t) => {
  const caseId = await caseWithDoctorWaiting();
  await refused(t, await postGrant(caseId, 1, await grantBody(caseId, 1, { granteeKeyVersion: 2 })), {
    status: 409,
    code: 'KEY_VERSION_MISMATCH',
    type: 'grant.given',
    subject: doctor.id,
  });
  await refused(t, await postGrant(caseId, 7, await grantBody(caseId, 7)), {
    status: 409,
    code: 'KEY_VERSION_MISMATCH',
    type: 'grant.given',
    subject: doctor.id,
  });
  const forger = await generateDeviceKeys();
  await refused(t, await postGrant(caseId, 1, await grantBody(caseId, 1, { signer: forger.signSecretKey })), {
    status: 400,
    code: 'BAD_SIGNATURE',
    type: 'grant.given',
    subject: doctor.id,
  });
  const grants = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', doctor.id)
    .execute();
  t.same(grants, [], 'nothing was given');
  t.equal(await sdk.cases.shareKeys(caseId), 1, 'the genuine grant still goes through');
});

t.test('rotation: a version that does not follow the current one', async (t) => {
  const caseId = await caseWithDoctorWaiting();
  await sdk.cases.shareKeys(caseId);
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/keys`,
    headers: nurse.headers,
    payload: {
      keyVersion: 5,
      grants: [
        { ...(await grantBody(caseId, 5)), granteeId: doctor.id },
        { ...(await grantBody(caseId, 5)), granteeId: nurse.id },
      ],
    },
  });
  await refused(t, res, { status: 409, code: 'KEY_VERSION_MISMATCH', type: 'key.rotated' });
  const state = await ta.ctx.db
    .selectFrom('case_compartments')
    .select('key_version')
    .where('case_id', '=', caseId)
    .where('compartment', '=', 'health')
    .executeTakeFirstOrThrow();
  t.equal(state.key_version, 1, 'the key did not move');
});
