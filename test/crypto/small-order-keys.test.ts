import t, { type Test } from 'tap';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import {
  addMember,
  invite as inviteAs,
  listen,
  newClsm,
  sdkFor,
  type TestMember,
} from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { eventsOf } from '../helpers/audit.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import {
  forgeable,
  forgeFor,
  IDENTITY_KEY,
  IDENTITY_SIGNATURE,
  SMALL_ORDER_KEYS,
  withUnreducedS,
} from '../helpers/small-order.js';
import { generateDeviceKeys, publicDeviceKeys } from '../../src/crypto/device-keys.js';
import { encryptEntry } from '../../src/crypto/entries.js';
import {
  entrySignatureMessage,
  grantSignatureMessage,
  loginMessage,
  memberKeysMessage,
} from '../../src/crypto/messages.js';
import { backupKeys, recoverIdentity, wrapBackup } from '../../src/client/recovery.js';
import { deriveBackupKeys, type BackupKdf } from '../../src/crypto/key-backup.js';
import { verifyClsm } from '../../src/audit/verify.js';

// A small-order public key (the identity point above all) with R = identity, S = 0 passes OpenSSL's
// verification of any message, or of one message in eight, which the forger picks. The server now
// verifies as libsodium does, everywhere: enrollment, login, entries, grants, the continuity of
// keys a recovery replaces, checkpoints. Each forgery is refused with a clear error, and audited. Keys that got
// into the table before (or around) enrollment's check are written in as a database owner would.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const url = await listen(ta.app);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const enc = (s: string) => new TextEncoder().encode(s);
const signature = b64(IDENTITY_SIGNATURE);

const setSigningKey = (member: TestMember, key: Uint8Array) =>
  asOwner(ta.db, (o) =>
    sql`update member_keys set sign_public_key = ${Buffer.from(key)} where member_id = ${member.id}`.execute(
      o,
    ),
  );

const refusal = async (
  t: Test,
  res: Awaited<ReturnType<typeof ta.app.inject>>,
  expected: { status: number; code: string; type: string; reason: string },
  name: string,
) => {
  t.equal(res.statusCode, expected.status, `${name}: ${expected.status}`);
  t.equal(res.json().code, expected.code, `${name}: ${expected.code}`);
  t.match(
    await eventsOf(ta.ctx.db, res),
    [{ type: expected.type, outcome: 'denied', reason: expected.reason }],
    `${name}: audited`,
  );
};

async function invite(): Promise<string> {
  return (
    await inviteAs(ta.app, coordinator, { role: 'partner', organisation: 'Bailleur', displayName: 'Nouveau' })
  ).token;
}

const enroll = (code: string, signPublicKey: Uint8Array, boxPublicKey: Uint8Array) =>
  ta.app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: {
      code,
      signPublicKey: b64(signPublicKey),
      boxPublicKey: b64(boxPublicKey),
      keySignature: signature,
    },
  });

t.test('enrollment: the identity point with R = identity, S = 0', async (t) => {
  const box = (await generateDeviceKeys()).boxPublicKey;
  const res = await enroll(await invite(), IDENTITY_KEY, box);
  await refusal(
    t,
    res,
    { status: 400, code: 'BAD_SIGNATURE', type: 'member.enrolled', reason: 'BAD_SIGNATURE' },
    'identity',
  );
});

t.test('enrollment: every small-order key, with a message the forger picked', async (t) => {
  for (const [name, key] of Object.entries(SMALL_ORDER_KEYS)) {
    const code = await invite();
    const lookup = await ta.app.inject({ method: 'POST', url: '/v1/enroll/invitation', payload: { code } });
    const owner = { clsmId: lookup.json().tenantId, memberId: lookup.json().memberId };
    // The box key is free: the forger tries box keys until OpenSSL would take R = identity, S = 0.
    const { input: box } = forgeFor(key, (box) => memberKeysMessage(owner, key, box, 1));
    const res = await enroll(code, key, box);
    await refusal(
      t,
      res,
      { status: 400, code: 'BAD_SIGNATURE', type: 'member.enrolled', reason: 'BAD_SIGNATURE' },
      name,
    );
  }
  const keys = await ta.ctx.db.selectFrom('member_keys').select('sign_public_key').execute();
  t.notOk(
    keys.some((k) =>
      Object.values(SMALL_ORDER_KEYS).some((bad) => Buffer.from(bad).equals(k.sign_public_key)),
    ),
    'no small-order key was registered',
  );
});

t.test('login as a member whose registered key is of small order', async (t) => {
  const victim = await addMember(ta, coordinator, 'social_worker');
  for (const [name, key] of Object.entries(SMALL_ORDER_KEYS)) {
    await setSigningKey(victim, key);
    // The nonce is the server's: the forger asks for challenges until one suits the forgery.
    let challenge: { challengeId: string; nonce: string };
    do {
      const res = await ta.app.inject({
        method: 'POST',
        url: '/v1/auth/challenge',
        payload: { tenantId: victim.clsmId, memberId: victim.id },
      });
      challenge = res.json();
    } while (
      !forgeable(
        key,
        loginMessage(victim.clsmId, victim.id, challenge.challengeId, Buffer.from(challenge.nonce, 'base64')),
      )
    );
    const res = await ta.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: {
        tenantId: victim.clsmId,
        memberId: victim.id,
        challengeId: challenge.challengeId,
        signature,
      },
    });
    await refusal(
      t,
      res,
      { status: 401, code: 'LOGIN_FAILED', type: 'auth.login_failed', reason: 'BAD_SIGNATURE' },
      name,
    );
  }
  const sessions = await ta.ctx.db
    .selectFrom('sessions')
    .select('id')
    .where('member_id', '=', victim.id)
    .execute();
  t.equal(sessions.length, 1, 'no session but the one of the genuine enrollment');
});

t.test('an entry and a grant signed R = identity, S = 0 by a small-order key', async (t) => {
  const author = await addMember(ta, coordinator, 'health_professional');
  const sdk = sdkFor(url, author);
  const { id: caseId } = await sdk.cases.refer('incurie', 'routine');
  await sdk.cases.write(caseId, 'health', enc('première note'));
  const added = await sdk.cases.addParticipant(caseId, doctor.id, undefined, { handOverKeys: false });
  t.same(added, { status: 'added' }, 'the doctor takes part, and waits for the health key');
  const entryContext = (entryId: string) => ({
    caseId,
    compartment: 'health',
    entryId,
    keyVersion: 1,
    authorId: author.id,
    kind: 'note',
    refersTo: null,
  });
  const nonce = new Uint8Array(24);
  const ciphertext = new Uint8Array(40);
  const ciphertextHash = createHash('sha256').update(ciphertext).digest();
  const grantContext = {
    caseId,
    compartment: 'health',
    keyVersion: 1,
    granterId: author.id,
    granteeId: doctor.id,
    granteeBoxPublicKey: doctor.keys.boxPublicKey,
  };
  const sealed = (input: Uint8Array) => new Uint8Array([...input, ...new Uint8Array(48)]);
  for (const [name, key] of Object.entries(SMALL_ORDER_KEYS)) {
    await setSigningKey(author, key);
    // The entry id is the client's to choose: the forger tries ids.
    const uuidOf = (input: Uint8Array) => {
      const h = Buffer.from(input.subarray(0, 16)).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    };
    const entry = forgeFor(key, (input) =>
      entrySignatureMessage(entryContext(uuidOf(input)), nonce, ciphertextHash),
    );
    const written = await ta.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/compartments/health/entries`,
      headers: author.headers,
      payload: {
        id: uuidOf(entry.input),
        keyVersion: 1,
        kind: 'note',
        refersTo: null,
        nonce: b64(nonce),
        ciphertext: b64(ciphertext),
        signature,
      },
    });
    await refusal(
      t,
      written,
      { status: 400, code: 'BAD_SIGNATURE', type: 'entry.written', reason: 'BAD_SIGNATURE' },
      `entry, ${name}`,
    );
    // The sealed key is the granter's to choose: the forger tries sealed keys.
    const grant = forgeFor(key, (input) =>
      grantSignatureMessage(grantContext, createHash('sha256').update(sealed(input)).digest()),
    );
    const given = await ta.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/compartments/health/grants`,
      headers: author.headers,
      payload: {
        keyVersion: 1,
        granteeId: doctor.id,
        granteeKeyVersion: 1,
        sealedKey: b64(sealed(grant.input)),
        signature,
      },
    });
    await refusal(
      t,
      given,
      { status: 400, code: 'BAD_SIGNATURE', type: 'grant.given', reason: 'BAD_SIGNATURE' },
      `grant, ${name}`,
    );
  }
  const entries = await ta.ctx.db.selectFrom('entries').select('id').where('case_id', '=', caseId).execute();
  t.equal(entries.length, 1, 'only the genuine entry is stored');
  const grants = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', doctor.id)
    .execute();
  t.same(grants, [], 'the doctor was given nothing');
});

t.test('an entry whose S is not reduced (S + L)', async (t) => {
  const sdk = sdkFor(url, nurse);
  const { id: caseId } = await sdk.cases.refer('isolement', 'routine');
  await sdk.cases.write(caseId, 'health', enc('première note'));
  const key = new Uint8Array(32);
  const sealed = await encryptEntry(
    {
      caseId,
      compartment: 'health',
      entryId: randomUUID(),
      keyVersion: 1,
      authorId: nurse.id,
      kind: 'note',
      refersTo: null,
    },
    enc('malléable'),
    key,
    nurse.keys.signSecretKey,
  );
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: nurse.headers,
    payload: {
      id: sealed.context.entryId,
      keyVersion: 1,
      kind: 'note',
      refersTo: null,
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
      signature: b64(withUnreducedS(sealed.signature)),
    },
  });
  await refusal(
    t,
    res,
    { status: 400, code: 'BAD_SIGNATURE', type: 'entry.written', reason: 'BAD_SIGNATURE' },
    'S + L',
  );
});

t.test(
  'a recovery whose replaced key is the identity point is refused: its continuity is forged',
  async (t) => {
    const member = await addMember(ta, coordinator, 'social_worker');
    const passphrase = 'phrase de passe de secours';
    await backupKeys(sdkFor(url, member), passphrase, { opslimit: 2, memlimit: 19 * 1024 * 1024 });
    await setSigningKey(member, IDENTITY_KEY);
    const code = (
      await ta.app.inject({
        method: 'POST',
        url: `/v1/members/${member.id}/recovery-codes`,
        headers: coordinator.headers,
      })
    ).json<{ code: string }>().code;
    const opened = (await ta.app.inject({ method: 'POST', url: '/v1/recover', payload: { code } })).json<{
      kdf: BackupKdf;
    }>();
    const proof = b64((await deriveBackupKeys(passphrase, opened.kdf)).authKey);
    const keys = await generateDeviceKeys(2);
    const owner = { clsmId: member.clsmId, memberId: member.id };
    const selfSigned = await publicDeviceKeys(keys, owner);
    const res = await ta.app.inject({
      method: 'POST',
      url: '/v1/recover/keys',
      payload: {
        code,
        proof,
        keys: {
          version: 2,
          signPublicKey: b64(keys.signPublicKey),
          boxPublicKey: b64(keys.boxPublicKey),
          selfSignature: b64(selfSigned.selfSignature),
        },
        // R = identity, S = 0: "signed" by the identity point, over any message.
        continuitySignature: signature,
        backup: await wrapBackup({ serverUrl: url, ...owner, keys }, new Uint8Array(16), passphrase, {
          opslimit: 2,
          memlimit: 19 * 1024 * 1024,
        }).then(({ blob, verifier }) => ({ blob, verifier })),
      },
    });
    await refusal(
      t,
      res,
      { status: 400, code: 'BAD_SIGNATURE', type: 'member.key_registered', reason: 'BAD_CONTINUITY' },
      'recovery',
    );
    await t.rejects(recoverIdentity(url, code, passphrase), { code: 'BAD_SIGNATURE' }, 'and through the SDK');
  },
);

t.test('a checkpoint file vouching for the chain with the identity key', async (t) => {
  await eventsSealed(ta.ctx.db);
  const head = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('clsm_id', '=', coordinator.clsmId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const forged = {
    clsmId: coordinator.clsmId,
    seq: head.seq,
    hash: head.hash,
    signedAt: new Date(),
    keyId: 'forged',
    signature: Buffer.from(IDENTITY_SIGNATURE),
  };
  const verdict = await verifyClsm(ta.ctx.db, coordinator.clsmId, {
    publicKey: Buffer.from(IDENTITY_KEY),
    external: [forged],
  });
  t.equal(verdict.ok, false, 'the chain is not vouched for');
  t.equal(verdict.checkpointsChecked, 0);
  t.match(verdict.problem, /not signed by the trusted audit key/);
});
