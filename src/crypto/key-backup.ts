import { loadSodium } from './sodium.js';
import { encodeFields } from './encoding.js';
import { MAX_MEMLIMIT, MAX_OPSLIMIT, MIN_MEMLIMIT, MIN_OPSLIMIT } from './kdf-floor.js';

// Secret keys at rest under a passphrase: Argon2id (libsodium's crypto_pwhash) derives a key that
// encrypts with XChaCha20-Poly1305. The parameters travel with the blob, and are checked against a
// floor and a ceiling before use, so that a server (or a tampered profile) can neither downgrade
// them nor make the device spend unbounded time and memory. A backup kept by the server is also
// bound to its owner (CLSM, member, key version) through the associated data: the server cannot
// hand one member's backup to another, or across CLSMs, without the unwrapping failing.
//
// A server-held backup (format v2) takes 64 bytes from its one Argon2id run: the first 32 wrap the
// keys, the last 32 are an authentication key. The server keeps only SHA-256 of the latter (the
// verifier) and releases the blob only against the authentication key itself: whoever holds a
// recovery code but not the passphrase gets the salt and parameters, never the ciphertext to
// guess against offline (docs/crypto-protocol.md, "Key backup").

export { MAX_MEMLIMIT, MAX_OPSLIMIT, MIN_MEMLIMIT, MIN_OPSLIMIT };

/** Whose secret keys a server-held backup holds. */
export interface BackupOwner {
  clsmId: string;
  memberId: string;
  keyVersion: number;
}

export interface WrappedSecret {
  v: 1;
  alg: 'argon2id13+xchacha20poly1305';
  opslimit: number;
  memlimit: number;
  salt: string;
  nonce: string;
  ciphertext: string;
}

/** A server-held backup: as v1, but its key is the first half of a 64-byte Argon2id output. */
export interface WrappedBackup extends Omit<WrappedSecret, 'v'> {
  v: 2;
}

/** What a backup's keys are derived with: sent before the blob, to a holder of the recovery code. */
export interface BackupKdf {
  opslimit: number;
  memlimit: number;
  salt: string;
}

/** Both halves of a backup's Argon2id output. */
export interface BackupKeys {
  wrapKey: Uint8Array;
  authKey: Uint8Array;
}

export class WeakParametersError extends Error {
  override name = 'WeakParametersError';
}

export class ExcessiveParametersError extends Error {
  override name = 'ExcessiveParametersError';
}

export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
}

// Without an owner (a device profile, which lives on its device), the layout is the one profiles
// were always written with; with one (a server-held backup), the owner's fields follow.
const ad = (purpose: string, opslimit: number, memlimit: number, owner: BackupOwner | undefined) =>
  owner === undefined
    ? encodeFields('clsm.key-wrap.v1', purpose, opslimit, memlimit)
    : encodeFields(
        'clsm.key-wrap.v1',
        purpose,
        opslimit,
        memlimit,
        owner.clsmId,
        owner.memberId,
        owner.keyVersion,
      );

export async function wrapSecret(
  secret: Uint8Array,
  passphrase: string,
  purpose: string,
  params: { opslimit?: number; memlimit?: number } = {},
): Promise<WrappedSecret> {
  const s = await loadSodium();
  const opslimit = params.opslimit ?? s.crypto_pwhash_OPSLIMIT_MODERATE;
  const memlimit = params.memlimit ?? 64 * 1024 * 1024;
  checkLimits(opslimit, memlimit);
  const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
  const key = s.crypto_pwhash(32, passphrase, salt, opslimit, memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
    secret,
    ad(purpose, opslimit, memlimit, undefined),
    null,
    nonce,
    key,
  );
  s.memzero(key);
  const b64 = (b: Uint8Array) => s.to_base64(b, s.base64_variants.ORIGINAL);
  return {
    v: 1,
    alg: 'argon2id13+xchacha20poly1305',
    opslimit,
    memlimit,
    salt: b64(salt),
    nonce: b64(nonce),
    ciphertext: b64(ciphertext),
  };
}

/**
 * Wraps the secret for the server: one Argon2id run gives the wrapping key and the authentication
 * key; the latter's SHA-256 is the verifier the server stores. The authentication key is wiped.
 */
export async function wrapBackup(
  secret: Uint8Array,
  passphrase: string,
  purpose: string,
  owner: BackupOwner,
  params: { opslimit?: number; memlimit?: number } = {},
): Promise<{ blob: WrappedBackup; verifier: Uint8Array }> {
  const s = await loadSodium();
  const b64 = (b: Uint8Array) => s.to_base64(b, s.base64_variants.ORIGINAL);
  const kdf = {
    opslimit: params.opslimit ?? s.crypto_pwhash_OPSLIMIT_MODERATE,
    memlimit: params.memlimit ?? 64 * 1024 * 1024,
    salt: b64(s.randombytes_buf(s.crypto_pwhash_SALTBYTES)),
  };
  const keys = await deriveBackupKeys(passphrase, kdf);
  try {
    const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
      secret,
      ad(purpose, kdf.opslimit, kdf.memlimit, owner),
      null,
      nonce,
      keys.wrapKey,
    );
    return {
      blob: {
        v: 2,
        alg: 'argon2id13+xchacha20poly1305',
        ...kdf,
        nonce: b64(nonce),
        ciphertext: b64(ciphertext),
      },
      verifier: backupVerifier(s, keys.authKey),
    };
  } finally {
    wipeBackupKeys(keys);
  }
}

/** The one Argon2id run of a backup, parameters checked against the floor and ceiling first. */
export async function deriveBackupKeys(passphrase: string, kdf: BackupKdf): Promise<BackupKeys> {
  const s = await loadSodium();
  checkLimits(kdf.opslimit, kdf.memlimit);
  const out = s.crypto_pwhash(
    64,
    passphrase,
    s.from_base64(kdf.salt, s.base64_variants.ORIGINAL),
    kdf.opslimit,
    kdf.memlimit,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  const keys = { wrapKey: out.slice(0, 32), authKey: out.slice(32, 64) };
  s.memzero(out);
  return keys;
}

export function wipeBackupKeys(keys: BackupKeys): void {
  keys.wrapKey.fill(0);
  keys.authKey.fill(0);
}

/** SHA-256 of the authentication key: what the server compares the presented key with. */
function backupVerifier(s: Awaited<ReturnType<typeof loadSodium>>, authKey: Uint8Array): Uint8Array {
  return s.crypto_hash_sha256(authKey);
}

/**
 * Opens a v2 backup with the wrapping key derived from the parameters announced before it: a blob
 * whose parameters differ from those is refused (the keys would not be the ones just derived).
 */
export async function openBackup(
  blob: WrappedBackup,
  kdf: BackupKdf,
  wrapKey: Uint8Array,
  purpose: string,
  owner: BackupOwner,
): Promise<Uint8Array> {
  const s = await loadSodium();
  const format: unknown = [blob.v, blob.alg].join('/');
  if (format !== '2/argon2id13+xchacha20poly1305') throw new WeakParametersError('unknown key-backup format');
  if (blob.opslimit !== kdf.opslimit || blob.memlimit !== kdf.memlimit || blob.salt !== kdf.salt)
    throw new WrongPassphraseError('the backup does not carry the parameters announced for it: altered');
  const from = (v: string) => s.from_base64(v, s.base64_variants.ORIGINAL);
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      from(blob.ciphertext),
      ad(purpose, blob.opslimit, blob.memlimit, owner),
      from(blob.nonce),
      wrapKey,
    );
  } catch {
    throw new WrongPassphraseError(
      `this is not the backup of member ${owner.memberId} of CLSM ${owner.clsmId} ` +
        `(key version ${owner.keyVersion}): altered or substituted`,
    );
  }
}

export async function unwrapSecret(
  wrapped: WrappedSecret,
  passphrase: string,
  purpose: string,
): Promise<Uint8Array> {
  const s = await loadSodium();
  // The blob comes from disk: its declared format is data, not a type guarantee.
  const format: unknown = [wrapped.v, wrapped.alg].join('/');
  if (format !== '1/argon2id13+xchacha20poly1305')
    throw new WeakParametersError('unknown key-wrapping format');
  checkLimits(wrapped.opslimit, wrapped.memlimit);
  const from = (v: string) => s.from_base64(v, s.base64_variants.ORIGINAL);
  const key = s.crypto_pwhash(
    32,
    passphrase,
    from(wrapped.salt),
    wrapped.opslimit,
    wrapped.memlimit,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      from(wrapped.ciphertext),
      ad(purpose, wrapped.opslimit, wrapped.memlimit, undefined),
      from(wrapped.nonce),
      key,
    );
  } catch {
    throw new WrongPassphraseError('wrong passphrase, or the wrapped key was altered');
  } finally {
    s.memzero(key);
  }
}

function checkLimits(opslimit: number, memlimit: number): void {
  if (
    !Number.isInteger(opslimit) ||
    !Number.isInteger(memlimit) ||
    opslimit < MIN_OPSLIMIT ||
    memlimit < MIN_MEMLIMIT
  ) {
    throw new WeakParametersError(
      `Argon2id parameters below the floor (t >= ${MIN_OPSLIMIT}, m >= 19 MiB): refused`,
    );
  }
  if (opslimit > MAX_OPSLIMIT || memlimit > MAX_MEMLIMIT) {
    throw new ExcessiveParametersError(
      `Argon2id parameters above the ceiling (t <= ${MAX_OPSLIMIT}, m <= 1 GiB): refused before deriving`,
    );
  }
}
