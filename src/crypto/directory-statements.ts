import { encodeFields } from './encoding.js';
import { loadSodium } from './sodium.js';

// The statements of a CLSM's directory log (docs/crypto-protocol.md, "The directory log"): each one
// signed by its author's current device key and chained to the one before by its hash. The server
// stores them; every client replays them (directory-replay.ts) from the CLSM's root of trust.

export const DIRECTORY_KINDS = ['root', 'certify', 'role', 'suspend', 'reinstate', 'device'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

export interface DirectoryStatement {
  clsmId: string;
  seq: number;
  /** The hash of the statement at seq - 1; null for the root (seq 0). */
  prevHash: Uint8Array | null;
  kind: DirectoryKind;
  authorId: string;
  subjectId: string;
  role: string | null;
  organisation: string | null;
  displayName: string | null;
  signPublicKey: Uint8Array | null;
  boxPublicKey: Uint8Array | null;
  keyVersion: number | null;
}

export interface SignedStatement extends DirectoryStatement {
  signature: Uint8Array;
}

/** What the author signs: every field, in this order. */
export function statementMessage(s: DirectoryStatement): Uint8Array {
  return encodeFields(
    'clsm.directory.v1',
    s.clsmId,
    s.seq,
    s.prevHash,
    s.kind,
    s.authorId,
    s.subjectId,
    s.role,
    s.organisation,
    s.displayName,
    s.signPublicKey,
    s.boxPublicKey,
    s.keyVersion,
  );
}

/** SHA-256 over the signed message and its signature: the next statement's prevHash. */
export async function statementHash(s: SignedStatement): Promise<Uint8Array> {
  const sodium = await loadSodium();
  return sodium.crypto_hash_sha256(encodeFields('clsm.directory-hash.v1', statementMessage(s), s.signature));
}

export async function signStatement(
  s: DirectoryStatement,
  signSecretKey: Uint8Array,
): Promise<SignedStatement> {
  const sodium = await loadSodium();
  return { ...s, signature: sodium.crypto_sign_detached(statementMessage(s), signSecretKey) };
}

/** The fields a statement of each kind carries; the others are null. */
export const KIND_FIELDS: Record<
  DirectoryKind,
  readonly ('role' | 'organisation' | 'displayName' | 'keys' | 'keyVersion')[]
> = {
  root: ['role', 'organisation', 'displayName', 'keys', 'keyVersion'],
  certify: ['role', 'organisation', 'displayName', 'keys', 'keyVersion'],
  role: ['role'],
  suspend: [],
  reinstate: [],
  device: ['keys', 'keyVersion'],
};
