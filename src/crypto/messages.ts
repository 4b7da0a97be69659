import { encodeFields } from './encoding.js';

// Every signed message of the protocol, in one place, shared by the server (which verifies) and
// the client SDK (which signs). Layouts are documented in docs/crypto-protocol.md.

/** Whose device keys these are: a member of a CLSM, as the directory names them. */
export interface KeyOwner {
  clsmId: string;
  memberId: string;
}

/**
 * Self-signature of a member's device keys: binds the encryption key to the signing key, and both
 * to one member of one CLSM, so that a server cannot present one member's keys as another's.
 */
export function memberKeysMessage(
  owner: KeyOwner,
  signPublicKey: Uint8Array,
  boxPublicKey: Uint8Array,
  version: number,
): Uint8Array {
  return encodeFields(
    'clsm.member-keys.v2',
    owner.clsmId,
    owner.memberId,
    signPublicKey,
    boxPublicKey,
    version,
  );
}

/**
 * Continuity of a member's device keys across a recovery: the old signing key (version
 * `oldVersion`, opened from the backup) signs the new keys, so that the server registers only keys
 * vouched for by the holder of the keys they replace.
 */
export function keyContinuityMessage(
  owner: KeyOwner,
  oldVersion: number,
  signPublicKey: Uint8Array,
  boxPublicKey: Uint8Array,
  version: number,
): Uint8Array {
  return encodeFields(
    'clsm.key-continuity.v1',
    owner.clsmId,
    owner.memberId,
    oldVersion,
    signPublicKey,
    boxPublicKey,
    version,
  );
}

/** Challenge-response login: the device signs the server's nonce for this member and CLSM. */
export function loginMessage(
  clsmId: string,
  memberId: string,
  challengeId: string,
  nonce: Uint8Array,
): Uint8Array {
  return encodeFields('clsm.login.v1', clsmId, memberId, challengeId, nonce);
}

/** What an entry's author signs: its full context and the SHA-256 of its ciphertext. */
export interface EntryContext {
  caseId: string;
  compartment: string;
  entryId: string;
  keyVersion: number;
  authorId: string;
  kind: string;
  /** The entry this one corrects or answers, if any. */
  refersTo: string | null;
}

/** Associated data of the entry's AEAD: a ciphertext moved to another context fails to decrypt. */
export function entryAssociatedData(c: EntryContext): Uint8Array {
  return encodeFields(
    'clsm.entry.v1',
    c.caseId,
    c.compartment,
    c.entryId,
    c.keyVersion,
    c.authorId,
    c.kind,
    c.refersTo,
  );
}

export function entrySignatureMessage(
  c: EntryContext,
  nonce: Uint8Array,
  ciphertextSha256: Uint8Array,
): Uint8Array {
  return encodeFields(
    'clsm.entry-signature.v1',
    c.caseId,
    c.compartment,
    c.entryId,
    c.keyVersion,
    c.authorId,
    c.kind,
    c.refersTo,
    nonce,
    ciphertextSha256,
  );
}

/** What a granter signs when wrapping a compartment key to a grantee (sealed boxes are anonymous). */
export interface GrantContext {
  caseId: string;
  compartment: string;
  keyVersion: number;
  granterId: string;
  granteeId: string;
  granteeBoxPublicKey: Uint8Array;
}

export function grantSignatureMessage(g: GrantContext, sealedKeySha256: Uint8Array): Uint8Array {
  return encodeFields(
    'clsm.grant.v1',
    g.caseId,
    g.compartment,
    g.keyVersion,
    g.granterId,
    g.granteeId,
    g.granteeBoxPublicKey,
    sealedKeySha256,
  );
}

/** Short human-comparable fingerprint input: both public keys of a device. */
export function fingerprintInput(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Uint8Array {
  return encodeFields('clsm.fingerprint.v1', signPublicKey, boxPublicKey);
}

/** An audit checkpoint: the server vouches for the head of a CLSM's chain at a time. */
export function checkpointMessage(
  clsmId: string,
  seq: number,
  hash: Uint8Array,
  signedAtMs: number,
): Uint8Array {
  return encodeFields('clsm.audit-checkpoint.v1', clsmId, seq, hash, signedAtMs);
}
