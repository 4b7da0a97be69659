import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { loadSodium } from './sodium.js';

// Server-side Ed25519. Verification is libsodium's crypto_sign_verify_detached, the very function
// every client runs, so that server and clients accept exactly the same signatures: no small-order
// or non-canonical public key, no small-order R, a canonical S (docs/adr/0011). OpenSSL accepts the
// identity point as a public key with R = identity, S = 0 on any message. The server's own keys
// (tokens, audit checkpoints) are PKCS#8 files and sign with node:crypto: signing is not where the
// rules differ.

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// Loaded once, by whoever imports this module first: verification itself then stays synchronous.
const sodium = await loadSodium();

/** Never throws on malformed input: a wrong-length key or signature simply does not verify. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  return sodium.crypto_sign_verify_detached(signature, message, publicKey);
}

export function signEd25519(privateKey: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, privateKey);
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return der.subarray(SPKI_ED25519_PREFIX.length);
}
