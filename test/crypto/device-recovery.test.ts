import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { addMember, listen, loginAs, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { sign, suspend } from '../helpers/directory.js';
import { backupKeys, recoverIdentity, wrapBackup } from '../../src/client/recovery.js';
import { ClsmClient } from '../../src/client/client.js';
import {
  deriveBackupKeys,
  wrapBackup as wrapSecretKeys,
  type BackupKdf,
} from '../../src/crypto/key-backup.js';
import {
  fingerprint,
  generateDeviceKeys,
  publicDeviceKeys,
  signDetached,
} from '../../src/crypto/device-keys.js';
import { keyContinuityMessage } from '../../src/crypto/messages.js';

// A lost or stolen device is replaced. The key backup is released only to whoever proves the
// passphrase (a coordinator holding the recovery code gets the salt and parameters, and a few
// guesses); recovery makes new keys, signed by the old ones, and revokes what came before them.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const url = await listen(ta.app);
const PASSPHRASE = 'phrase de passe de secours';
const kdf = { opslimit: 2, memlimit: 19 * 1024 * 1024 };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

// The doctor makes the health key (and seals it to the nurse): what the nurse signed with her old
// keys is checked against her current ones by today's clients (docs/crypto-protocol.md, "Recovery").
const { id: caseId } = await sdkFor(url, nurse).cases.refer('isolement', 'routine');
await sdkFor(url, nurse).cases.addParticipant(caseId, doctor.id);
await sdkFor(url, doctor).cases.write(caseId, 'health', enc('avant la perte du poste'));
await backupKeys(sdkFor(url, nurse), PASSPHRASE, kdf);

async function recoveryCode(member: TestMember): Promise<string> {
  const res = await ta.app.inject({
    method: 'POST',
    url: `/v1/members/${member.id}/recovery-codes`,
    headers: coordinator.headers,
  });
  t.equal(res.statusCode, 201, 'the coordinator issues a recovery code');
  return res.json<{ code: string }>().code;
}

/** A backup as the last step of a recovery carries it (its version is the new keys'). */
async function backupOf(identity: Parameters<typeof wrapBackup>[0]) {
  const anchor = await sdkFor(url, coordinator).directory.rootAnchor();
  const { blob, verifier } = await wrapBackup(identity, anchor, PASSPHRASE, kdf);
  return { blob, verifier };
}

const codeRow = (code: string) =>
  asOwner(ta.db, async (o) => {
    const rows = await sql<{ used_at: Date | null; failed_proofs: number }>`
      select used_at, failed_proofs from enrollment_codes
       where code_hash = sha256(convert_to(upper(replace(${code}, '-', '')), 'UTF8'))`.execute(o);
    return rows.rows[0];
  });

t.test('a coordinator redeeming the code herself gets parameters, never the blob', async (t) => {
  const code = await recoveryCode(nurse);
  const opened = await ta.app.inject({ method: 'POST', url: '/v1/recover', payload: { code } });
  t.equal(opened.statusCode, 200);
  const body = opened.json<Record<string, unknown>>();
  t.same(Object.keys(body).sort(), ['kdf', 'keyVersion', 'memberId', 'role', 'tenantId']);
  t.same(Object.keys(body.kdf as object).sort(), ['memlimit', 'opslimit', 'salt'], 'no ciphertext, no nonce');
  t.match(await eventsOf(ta.ctx.db, opened), [{ type: 'member.recovery_opened', outcome: 'success' }]);

  // Guessing the passphrase costs a request each, and the code burns after five.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const { authKey } = await deriveBackupKeys(`devinette ${attempt}`, body.kdf as BackupKdf);
    const res = await ta.app.inject({
      method: 'POST',
      url: '/v1/recover/backup',
      payload: { code, proof: b64(authKey) },
    });
    t.equal(res.statusCode, 401, `guess ${attempt}: refused`);
    t.notOk('blob' in res.json(), `guess ${attempt}: no blob`);
    t.match(
      await eventsOf(ta.ctx.db, res),
      [
        {
          type: 'member.key_recovered',
          outcome: 'denied',
          reason: attempt < 5 ? 'BAD_PROOF' : 'BAD_PROOF_CODE_SPENT',
          subject_id: nurse.id,
        },
      ],
      `guess ${attempt}: audited`,
    );
  }
  t.match(await codeRow(code), { failed_proofs: 5, used_at: Date }, 'the code is spent');
  // Even the genuine owner cannot use a burnt code.
  const { authKey } = await deriveBackupKeys(PASSPHRASE, body.kdf as BackupKdf);
  const late = await ta.app.inject({
    method: 'POST',
    url: '/v1/recover/backup',
    payload: { code, proof: b64(authKey) },
  });
  t.equal(late.statusCode, 401);
  t.match(await eventsOf(ta.ctx.db, late), [
    { type: 'member.key_recovered', outcome: 'denied', reason: 'ENROLLMENT_CODE_INVALID' },
  ]);
  await t.rejects(recoverIdentity(url, code, PASSPHRASE), { code: 'ENROLLMENT_CODE_INVALID' });
});

t.test('new keys must be signed by the keys they replace', async (t) => {
  const code = await recoveryCode(nurse);
  const opened = (await ta.app.inject({ method: 'POST', url: '/v1/recover', payload: { code } })).json<{
    kdf: BackupKdf;
  }>();
  const proof = b64((await deriveBackupKeys(PASSPHRASE, opened.kdf)).authKey);
  const keys = await generateDeviceKeys(2);
  const owner = { clsmId: nurse.clsmId, memberId: nurse.id };
  const stranger = await generateDeviceKeys(1);
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
        selfSignature: b64((await publicDeviceKeys(keys, owner)).selfSignature),
      },
      continuitySignature: b64(
        await signDetached(
          keyContinuityMessage(owner, 1, keys.signPublicKey, keys.boxPublicKey, 2),
          stranger.signSecretKey,
        ),
      ),
      backup: await backupOf({ serverUrl: url, ...owner, keys }),
    },
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'BAD_SIGNATURE');
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'member.key_registered', outcome: 'denied', reason: 'BAD_CONTINUITY' },
  ]);
  const versions = await ta.ctx.db
    .selectFrom('member_keys')
    .select('version')
    .where('member_id', '=', nurse.id)
    .execute();
  t.same(
    versions.map((v) => v.version),
    [1],
    'no key was registered',
  );
});

t.test('the owner recovers: new keys, the old ones and their sessions revoked', async (t) => {
  const code = await recoveryCode(nurse);
  const identity = await recoverIdentity(url, code, PASSPHRASE);
  t.equal(identity.keys.version, 2, 'a new key version');
  t.not(b64(identity.keys.signPublicKey), b64(nurse.keys.signPublicKey), 'new keys, not the old ones');
  t.match(await codeRow(code), { used_at: Date }, 'the code is spent');

  const old = await ta.app.inject({ method: 'GET', url: '/v1/members', headers: nurse.headers });
  t.equal(old.statusCode, 401, "the old device's token is refused on its next request");
  t.match(await eventsOf(ta.ctx.db, old), [
    { type: 'auth.token_refused', outcome: 'denied', reason: 'SESSION_REVOKED' },
  ]);
  await t.rejects(
    loginAs(ta.app, nurse.clsmId, nurse.id, nurse.keys),
    /login failed: 401/,
    'the old key cannot log in',
  );
  const token = await loginAs(ta.app, nurse.clsmId, nurse.id, identity.keys);
  t.ok(token, 'the new key logs in');

  const grants = await ta.ctx.db
    .selectFrom('key_grants')
    .select('grantee_key_version')
    .where('grantee_id', '=', nurse.id)
    .execute();
  t.same(grants, [], 'the grants sealed to the old keys are gone');
  await eventsSealed(ta.ctx.db);
  const revoked = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['reason', 'compartment'])
    .where('type', '=', 'grant.revoked')
    .where('subject_id', '=', nurse.id)
    .execute();
  t.match(revoked, [{ reason: 'KEYS_REPLACED', compartment: 'health' }], 'and that is audited');

  // A colleague sees the key pending; no one seals to the new keys before a coordinator certifies
  // them (the fingerprint compared in person); then the key goes over and the situation opens again.
  const colleague = sdkFor(url, doctor);
  t.match((await colleague.cases.view(caseId)).pendingGrants, [
    { compartment: 'health', keyVersion: 1, memberId: nurse.id },
  ]);
  await t.rejects(colleague.cases.shareKeys(caseId), { code: 'KEY_VERSION_MISMATCH' }, 'not yet certified');
  const print = await fingerprint(identity.keys.signPublicKey, identity.keys.boxPublicKey);
  await sdkFor(url, coordinator).directoryWriter.certify(nurse.id, { fingerprint: print });
  t.equal(await colleague.cases.shareKeys(caseId), 1);
  const [entry] = await new ClsmClient(identity, { anchor: identity.anchor }).cases.read(caseId, 'health');
  t.equal(dec(entry!.plaintext), 'avant la perte du poste');

  // The backup now holds the new keys: a second recovery starts from them.
  const again = await recoverIdentity(url, await recoveryCode(nurse), PASSPHRASE);
  t.equal(again.keys.version, 3);
});

t.test('a backup stored without a verifier is never released', async (t) => {
  const member = await addMember(ta, coordinator, 'social_worker');
  await backupKeys(sdkFor(url, member), PASSPHRASE, kdf);
  await asOwner(ta.db, (o) =>
    sql`update member_key_backups set verifier = null where member_id = ${member.id}`.execute(o),
  );
  const code = await recoveryCode(member);
  const res = await ta.app.inject({ method: 'POST', url: '/v1/recover', payload: { code } });
  t.equal(res.statusCode, 409);
  t.match(res.json().detail, /never released.*new backup/);
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'member.recovery_opened', outcome: 'denied', reason: 'BACKUP_WITHOUT_VERIFIER' },
  ]);
});

t.test('a suspended member recovers, and stays suspended until reinstated', async (t) => {
  const member = await addMember(ta, coordinator, 'social_worker');
  await backupKeys(sdkFor(url, member), PASSPHRASE, kdf);
  await suspend(ta.app, coordinator, member.id);
  const identity = await recoverIdentity(url, await recoveryCode(member), PASSPHRASE);
  t.equal(identity.keys.version, 2, 'the suspended member has new keys');
  await t.rejects(
    loginAs(ta.app, member.clsmId, member.id, identity.keys),
    /login failed: 401/,
    'but cannot log in with them',
  );
  t.equal((await sign(ta.app, coordinator, 'reinstate', member.id)).statusCode, 201);
  const token = await loginAs(ta.app, member.clsmId, member.id, identity.keys);
  const res = await ta.app.inject({
    method: 'GET',
    url: '/v1/members',
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(res.statusCode, 200, 'once reinstated, the new keys act');
});

t.test('a backup without the trust anchor is refused by the recovering device', async (t) => {
  const member = await addMember(ta, coordinator, 'social_worker');
  const { keys } = member;
  const owner = { clsmId: member.clsmId, memberId: member.id, keyVersion: keys.version };
  const secrets = new Uint8Array([...keys.signSecretKey, ...keys.boxSecretKey]);
  const { blob, verifier } = await wrapSecretKeys(secrets, PASSPHRASE, 'clsm-key-backup', owner, kdf);
  const stored = await ta.app.inject({
    method: 'PUT',
    url: '/v1/me/key-backup',
    headers: member.headers,
    payload: { keyVersion: keys.version, blob, verifier: b64(verifier) },
  });
  t.equal(stored.statusCode, 204);
  await t.rejects(recoverIdentity(url, await recoveryCode(member), PASSPHRASE), {
    name: 'BackupWithoutAnchorError',
  });
  const versions = await ta.ctx.db
    .selectFrom('member_keys')
    .select('version')
    .where('member_id', '=', member.id)
    .execute();
  t.same(
    versions.map((v) => v.version),
    [1],
    'no new keys were registered',
  );
});
