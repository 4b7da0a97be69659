import t from 'tap';
import { newNonce } from '../../src/crypto/entries.js';
import { unwrapSecret, wrapBackup, wrapSecret } from '../../src/crypto/key-backup.js';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { backupKeys, recoverIdentity } from '../../src/client/recovery.js';
import { ClsmClient } from '../../src/client/client.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

t.test('1,000,000 entry nonces, no collision', async (t) => {
  t.equal(newNonce().length, 24);
  const seen = new Set<string>();
  for (let i = 0; i < 1_000_000; i++) seen.add(Buffer.from(newNonce()).toString('base64'));
  t.equal(seen.size, 1_000_000);
});

t.test(
  'wrapped secrets: right passphrase opens, wrong one fails, weak parameters are refused both ways',
  async (t) => {
    const secret = new Uint8Array([1, 2, 3, 4]);
    const wrapped = await wrapSecret(secret, 'une phrase de passe longue', 'test', {
      opslimit: 2,
      memlimit: 19 * 1024 * 1024,
    });
    t.same(Array.from(await unwrapSecret(wrapped, 'une phrase de passe longue', 'test')), [1, 2, 3, 4]);
    await t.rejects(unwrapSecret(wrapped, 'une autre phrase', 'test'), { name: 'WrongPassphraseError' });
    await t.rejects(unwrapSecret(wrapped, 'une phrase de passe longue', 'another purpose'), {
      name: 'WrongPassphraseError',
    });
    await t.rejects(wrapSecret(secret, 'x', 'test', { opslimit: 1, memlimit: 64 * 1024 * 1024 }), {
      name: 'WeakParametersError',
    });
    // A server (or a tampered file) lowering the parameters stored with the blob is caught before any use.
    await t.rejects(
      unwrapSecret({ ...wrapped, memlimit: 8 * 1024 * 1024 }, 'une phrase de passe longue', 'test'),
      { name: 'WeakParametersError' },
    );
  },
);

t.test('a key backup on the server, recovered on a new device with a recovery code', async (t) => {
  const ta = await startTestApp(t);
  const { coordinator } = await newClsm(ta);
  const nurse = await addMember(ta, coordinator, 'health_professional');
  const url = await listen(ta.app);
  const device1 = sdkFor(url, nurse);
  const { id } = await device1.cases.refer('isolement', 'routine');
  await device1.cases.write(id, 'health', new TextEncoder().encode('avant la perte du poste'));
  await backupKeys(device1, 'phrase de passe de secours', { opslimit: 2, memlimit: 19 * 1024 * 1024 });

  const owner = { clsmId: nurse.clsmId, memberId: nurse.id, keyVersion: 1 };
  const { blob, verifier } = await wrapBackup(new Uint8Array(96), 'phrase', 'test', owner, {
    opslimit: 2,
    memlimit: 19 * 1024 * 1024,
  });
  const weak = await ta.app.inject({
    method: 'PUT',
    url: '/v1/me/key-backup',
    headers: nurse.headers,
    payload: { keyVersion: 1, blob: { ...blob, opslimit: 1, memlimit: 1024 }, verifier: b64(verifier) },
  });
  t.equal(weak.statusCode, 400, 'the server refuses to store a backup below the floor');
  const unverifiable = await ta.app.inject({
    method: 'PUT',
    url: '/v1/me/key-backup',
    headers: nurse.headers,
    payload: { keyVersion: 1, blob },
  });
  t.equal(unverifiable.statusCode, 400, 'or one without the verifier of its authentication key');
  const overflow = await ta.app.inject({
    method: 'PUT',
    url: '/v1/me/key-backup',
    headers: nurse.headers,
    payload: { keyVersion: 2 ** 31, blob, verifier: b64(verifier) },
  });
  t.equal(overflow.statusCode, 400, 'a key version beyond the integer column is invalid, not a 500');
  t.match(overflow.json(), { code: 'VALIDATION_FAILED', errors: [{ field: /keyVersion/ }] });

  const code = (
    await ta.app.inject({
      method: 'POST',
      url: `/v1/members/${nurse.id}/recovery-codes`,
      headers: coordinator.headers,
    })
  ).json().code;
  t.equal(
    (
      await ta.app.inject({
        method: 'POST',
        url: `/v1/members/${nurse.id}/recovery-codes`,
        headers: nurse.headers,
      })
    ).statusCode,
    403,
  );
  await t.rejects(
    recoverIdentity(url, code, 'mauvaise phrase'),
    { code: 'ENROLLMENT_CODE_INVALID', message: /wrong passphrase: 4 attempt\(s\) left/ },
    'a wrong passphrase is refused by the server, which never sent the blob',
  );
  const identity = await recoverIdentity(url, code, 'phrase de passe de secours');
  t.equal(identity.keys.version, 2, 'the right one, with the same code, makes new keys');
  const device2 = new ClsmClient(identity);
  const view = await device2.cases.view(id);
  t.match(
    view.compartments.find((c) => c.name === 'health'),
    { keyVersion: 1, holdsKey: false },
    'the new keys hold no compartment key until a colleague grants it',
  );
  t.equal(
    (
      await ta.app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: { code, signPublicKey: 'AA==', boxPublicKey: 'AA==', keySignature: 'AA==' },
      })
    ).statusCode,
    400,
  );
  await t.rejects(
    recoverIdentity(url, code, 'phrase de passe de secours'),
    { code: 'ENROLLMENT_CODE_INVALID' },
    'the code was spent by the recovery',
  );
});
