import { loadSodium } from './sodium.js';

// Server-side Ed25519 verification is libsodium's crypto_sign_verify_detached, the very function
// every client runs, so that server and clients accept exactly the same signatures: no small-order
// or non-canonical public key, no small-order R, a canonical S (docs/adr/0011). OpenSSL accepts the
// identity point as a public key with R = identity, S = 0 on any message. The server signs with its
// own keys in src/util/server-ed25519.ts.

// Loaded once, by whoever imports this module first: verification itself then stays synchronous.
const sodium = await loadSodium();

/** Never throws on malformed input: a wrong-length key or signature simply does not verify. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  return sodium.crypto_sign_verify_detached(signature, message, publicKey);
}
