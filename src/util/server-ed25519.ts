import { createPublicKey, sign, type KeyObject } from 'node:crypto';

// The server's own Ed25519 keys (tokens, audit checkpoints) are PKCS#8 files and sign with
// node:crypto: signing is not where implementations differ. Verification stays libsodium's
// (src/crypto/ed25519.ts), the very function every client runs.

const SPKI_ED25519_PREFIX_LENGTH = 12; // 302a300506032b6570032100

export function signEd25519(privateKey: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, privateKey);
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return der.subarray(SPKI_ED25519_PREFIX_LENGTH);
}
