import t from 'tap';
import { createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { verifyEd25519 } from '../../src/crypto/ed25519.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { checkpointSignatureValid } from '../../src/audit/checkpoints.js';
import { MAX_MEMLIMIT, MAX_OPSLIMIT } from '../../src/crypto/kdf-floor.js';
import {
  forgeFor,
  IDENTITY_KEY,
  IDENTITY_SIGNATURE,
  SMALL_ORDER_KEYS,
  withUnreducedS,
} from '../helpers/small-order.js';

// The server verifies Ed25519 by libsodium's rules, as every client does: a signature one accepts,
// the other accepts. The corpus is the one that told OpenSSL and libsodium apart.

const sodium = await loadSodium();

/** Node's OpenSSL, to show that each crafted input is a real forgery for cofactorless verification. */
const openssl = (key: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
  verify(
    null,
    message,
    createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]),
      format: 'der',
      type: 'spki',
    }),
    signature,
  );

t.test('small-order and non-canonical keys with R = identity, S = 0: refused', async (t) => {
  for (const [name, key] of Object.entries(SMALL_ORDER_KEYS)) {
    const { message } = forgeFor(key, (input) => input);
    t.ok(openssl(key, message, IDENTITY_SIGNATURE), `${name}: OpenSSL takes the forgery`);
    t.notOk(verifyEd25519(key, message, IDENTITY_SIGNATURE), `${name}: the server refuses it`);
    t.notOk(sodium.crypto_sign_verify_detached(IDENTITY_SIGNATURE, message, key), `${name}: so do clients`);
  }
});

t.test('a non-canonical S (S + L) is refused, the reduced one accepted', async (t) => {
  const keys = sodium.crypto_sign_keypair();
  const message = randomBytes(100);
  const signature = sodium.crypto_sign_detached(message, keys.privateKey);
  const unreduced = withUnreducedS(signature);
  t.ok(verifyEd25519(keys.publicKey, message, signature));
  t.notOk(verifyEd25519(keys.publicKey, message, unreduced), 'the server refuses S + L');
  t.notOk(sodium.crypto_sign_verify_detached(unreduced, message, keys.publicKey), 'so do clients');
});

t.test('server and clients agree on genuine, altered and malformed signatures', async (t) => {
  let agreed = 0;
  let genuineAccepted = 0;
  for (let i = 0; i < 200; i++) {
    const keys = sodium.crypto_sign_keypair();
    const message = randomBytes(i);
    const signature = sodium.crypto_sign_detached(message, keys.privateKey);
    const flipped = signature.slice();
    flipped[i % 64]! ^= 1 << (i % 8);
    const cases: [Uint8Array, Uint8Array][] = [
      [keys.publicKey, signature],
      [keys.publicKey, flipped],
      [randomBytes(32), signature],
    ];
    for (const [key, sig] of cases) {
      const server = verifyEd25519(key, message, sig);
      if (server === sodium.crypto_sign_verify_detached(sig, message, key)) agreed += 1;
    }
    if (verifyEd25519(keys.publicKey, message, signature)) genuineAccepted += 1;
  }
  t.equal(genuineAccepted, 200, 'every genuine signature verifies');
  t.equal(agreed, 600, 'the server and libsodium give the same answer every time');
  t.notOk(verifyEd25519(new Uint8Array(31), new Uint8Array(0), new Uint8Array(64)), 'short key');
  t.notOk(verifyEd25519(new Uint8Array(32), new Uint8Array(0), new Uint8Array(63)), 'short signature');
});

t.test('an audit checkpoint "signed" by the identity key does not verify', async (t) => {
  const checkpoint = {
    clsmId: randomUUID(),
    seq: 42,
    hash: randomBytes(32),
    signedAt: new Date(),
    keyId: 'forged',
    signature: Buffer.from(IDENTITY_SIGNATURE),
  };
  t.notOk(checkpointSignatureValid(checkpoint, Buffer.from(IDENTITY_KEY)));
});

t.test("the Argon2id ceiling is libsodium's SENSITIVE level", async (t) => {
  t.equal(MAX_OPSLIMIT, sodium.crypto_pwhash_OPSLIMIT_SENSITIVE);
  t.equal(MAX_MEMLIMIT, sodium.crypto_pwhash_MEMLIMIT_SENSITIVE);
});
