import { loadSodium } from './sodium.js';
import { fingerprintInput, memberKeysMessage, type KeyOwner } from './messages.js';

// A member's device keys, generated on the device: Ed25519 to sign (login, entries, grants) and
// X25519 to receive compartment keys. The secret halves never leave the device unencrypted.

export interface DeviceKeys {
  version: number;
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

export interface PublicDeviceKeys {
  version: number;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
  selfSignature: Uint8Array;
}

export async function generateDeviceKeys(version = 1): Promise<DeviceKeys> {
  const s = await loadSodium();
  const sign = s.crypto_sign_keypair();
  const box = s.crypto_box_keypair();
  return {
    version,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
}

/**
 * The public half, self-signed for its owner: proves possession of the signing key and binds the
 * box key to it, and both to this member of this CLSM.
 */
export async function publicDeviceKeys(keys: DeviceKeys, owner: KeyOwner): Promise<PublicDeviceKeys> {
  const s = await loadSodium();
  const selfSignature = s.crypto_sign_detached(
    memberKeysMessage(owner, keys.signPublicKey, keys.boxPublicKey, keys.version),
    keys.signSecretKey,
  );
  return {
    version: keys.version,
    signPublicKey: keys.signPublicKey,
    boxPublicKey: keys.boxPublicKey,
    selfSignature,
  };
}

/** Whether these keys are self-signed for this member of this CLSM (libsodium's verification rules). */
export async function verifySelfSignature(k: PublicDeviceKeys, owner: KeyOwner): Promise<boolean> {
  const s = await loadSodium();
  if (k.signPublicKey.length !== 32 || k.boxPublicKey.length !== 32 || k.selfSignature.length !== 64)
    return false;
  return s.crypto_sign_verify_detached(
    k.selfSignature,
    memberKeysMessage(owner, k.signPublicKey, k.boxPublicKey, k.version),
    k.signPublicKey,
  );
}

const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * 120 bits of SHA-256 over both public keys, as six groups of four base32 characters, to be
 * read aloud or compared side by side: "7KQ2 M9TX ...".
 */
export async function fingerprint(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Promise<string> {
  return fingerprintText(await fingerprintDigest(signPublicKey, boxPublicKey));
}

/** The fingerprint a digest (or its first 15 bytes at least) shows. */
export function fingerprintText(digest: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest.subarray(0, 15)) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) ?? []).join(' ');
}

/**
 * The whole SHA-256 a fingerprint shows the start of: a CLSM's trust anchor is a prefix of its
 * root's (16 bytes in an enrollment code, 15 in a fingerprint typed back by a user).
 */
export async function fingerprintDigest(
  signPublicKey: Uint8Array,
  boxPublicKey: Uint8Array,
): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_hash_sha256(fingerprintInput(signPublicKey, boxPublicKey));
}

/** The 15 bytes a fingerprint shows, from its text (spaces and case ignored); undefined if malformed. */
export function fingerprintBytes(text: string): Uint8Array | undefined {
  const clean = text.toUpperCase().replace(/\s/g, '');
  if (clean.length !== 24) return undefined;
  const out = new Uint8Array(15);
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

export async function signDetached(message: Uint8Array, signSecretKey: Uint8Array): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_sign_detached(message, signSecretKey);
}

/** A detached Ed25519 signature by another party (the server's audit key), libsodium's rules. */
export async function verifyDetached(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): Promise<boolean> {
  const s = await loadSodium();
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  return s.crypto_sign_verify_detached(signature, message, publicKey);
}
