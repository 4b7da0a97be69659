import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

// Server-side Ed25519, on Node's native OpenSSL: about twice as fast as libsodium's WASM build for
// verification (DESIGN section 8). Signatures are standard Ed25519 (RFC 8032), so those made by
// clients with libsodium's crypto_sign_detached verify here unchanged.

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 10_000;

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  const id = Buffer.from(raw).toString('base64');
  let key = keyCache.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/** Never throws on malformed input: a wrong-length key or signature simply does not verify. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, ed25519PublicKey(publicKey), signature);
  } catch {
    return false;
  }
}

export function signEd25519(privateKey: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, privateKey);
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return der.subarray(SPKI_ED25519_PREFIX.length);
}
