import t from 'tap';
import { fromBase64, toBase64 } from '../../src/crypto/encoding.js';
import { sha256Hex } from '../../src/crypto/hash.js';
import { generateDeviceKeys } from '../../src/crypto/device-keys.js';
import { MIN_MEMLIMIT, MIN_OPSLIMIT } from '../../src/crypto/kdf-floor.js';
import { openDevice, sealDevice, type StoredDevice } from '../../src/client/device-store.js';

// The client core runs in browsers, where Buffer and node:crypto do not exist: its own helpers must
// write exactly what Node wrote before (the API and every stored profile hold those bytes).

t.test('base64 matches what Buffer wrote, for every byte and for long inputs', async (t) => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const long = Uint8Array.from({ length: 200_003 }, (_, i) => (i * 31) % 251);
  for (const bytes of [new Uint8Array(0), all, long, all.subarray(0, 1), all.subarray(0, 2)]) {
    const node = Buffer.from(bytes).toString('base64');
    t.equal(toBase64(bytes), node);
    t.same(Array.from(fromBase64(node)), Array.from(bytes));
  }
  t.throws(() => fromBase64('pas du base64 !'));
});

t.test('SHA-256 in hex, as node:crypto computes it', async (t) => {
  const { createHash } = await import('node:crypto');
  const body = new TextEncoder().encode('{"year":2025}');
  t.equal(await sha256Hex(body), createHash('sha256').update(body).digest('hex'));
});

t.test('a stored device holds its secret keys only wrapped, and opens with the passphrase', async (t) => {
  const keys = await generateDeviceKeys();
  const base = {
    server: 'https://clsm.example',
    tenantId: globalThis.crypto.randomUUID(),
    memberId: globalThis.crypto.randomUUID(),
    role: 'coordinator',
  };
  const params = { opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT };
  const device: StoredDevice = await sealDevice(base, keys, 'une phrase de passe longue', params);
  const stored = JSON.stringify(device);
  t.notOk(stored.includes(toBase64(keys.signSecretKey)), 'no signing secret in clear');
  t.notOk(stored.includes(toBase64(keys.boxSecretKey)), 'no box secret in clear');
  const opened = await openDevice(device, 'une phrase de passe longue');
  t.same(Array.from(opened.signSecretKey), Array.from(keys.signSecretKey));
  t.same(Array.from(opened.boxSecretKey), Array.from(keys.boxSecretKey));
  await t.rejects(openDevice(device, 'une autre phrase'), { name: 'WrongPassphraseError' });
});
