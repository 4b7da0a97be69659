import { loadSodium } from './sodium.js';
import { encodeFields } from './encoding.js';
import { MAX_MEMLIMIT, MAX_OPSLIMIT, MIN_MEMLIMIT, MIN_OPSLIMIT } from './kdf-floor.js';

// Secret keys at rest under a passphrase: Argon2id (libsodium's crypto_pwhash) derives a key that
// encrypts with XChaCha20-Poly1305. The parameters travel with the blob, and are checked against a
// floor and a ceiling before use, so that a server (or a tampered profile) can neither downgrade
// them nor make the device spend unbounded time and memory. A backup kept by the server is also
// bound to its owner (CLSM, member, key version) through the associated data: the server cannot
// hand one member's backup to another, or across CLSMs, without the unwrapping failing.

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

export class WeakParametersError extends Error {
  override name = 'WeakParametersError';
}

export class ExcessiveParametersError extends Error {
  override name = 'ExcessiveParametersError';
}

export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
}

// Without an owner (the CLI profile, which lives on its device), the layout is the one profiles were
// always written with; with one, the owner's fields follow.
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
  owner?: BackupOwner,
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
    ad(purpose, opslimit, memlimit, owner),
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

export async function unwrapSecret(
  wrapped: WrappedSecret,
  passphrase: string,
  purpose: string,
  owner?: BackupOwner,
): Promise<Uint8Array> {
  const s = await loadSodium();
  // The blob comes from disk or from the server: its declared format is data, not a type guarantee.
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
      ad(purpose, wrapped.opslimit, wrapped.memlimit, owner),
      from(wrapped.nonce),
      key,
    );
  } catch {
    throw new WrongPassphraseError(
      owner === undefined
        ? 'wrong passphrase, or the wrapped key was altered'
        : `wrong passphrase, or this is not the backup of member ${owner.memberId} of CLSM ${owner.clsmId} ` +
            `(key version ${owner.keyVersion}): altered or substituted`,
    );
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
