import { fingerprintDigest } from './device-keys.js';
import {
  DIRECTORY_KINDS,
  KIND_FIELDS,
  statementHash,
  statementMessage,
  type SignedStatement,
} from './directory-statements.js';
import { loadSodium } from './sodium.js';

// Replays a CLSM's directory log from its root and refuses the first statement that does not
// follow: the one function the server (before it stores a statement) and every client (before it
// uses a colleague's keys) run. Pure: no storage, no network.

export interface CertifiedKeys {
  version: number;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

export interface CertifiedMember {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  /** Every version ever certified, to verify old signatures; the current one is `keyVersion`. */
  keys: Map<number, CertifiedKeys>;
  keyVersion: number;
  /** The coordinator who certified them (themselves for the root). */
  certifiedBy: string;
  /** The seq of their certificate. */
  seq: number;
}

export interface DirectoryState {
  clsmId: string;
  rootId: string | undefined;
  members: Map<string, CertifiedMember>;
  /** The hash of every statement replayed, by seq: the head is the last one. */
  hashes: Uint8Array[];
}

export interface DirectoryHead {
  seq: number;
  hash: Uint8Array;
}

export type DirectoryRefusal =
  | 'WRONG_CLSM'
  | 'WRONG_SEQ'
  | 'WRONG_PREV_HASH'
  | 'BAD_SIGNATURE'
  | 'NOT_A_COORDINATOR'
  | 'ROOT_NOT_ANCHORED'
  | 'MALFORMED'
  | 'ALREADY_CERTIFIED'
  | 'UNKNOWN_MEMBER'
  | 'NOT_SUSPENDED'
  | 'ALREADY_SUSPENDED'
  | 'WRONG_KEY_VERSION'
  | 'UNKNOWN_ROLE'
  | 'TRUNCATED'
  | 'FORKED';

/** The log does not follow: which statement and why. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(
    readonly seq: number,
    readonly reason: DirectoryRefusal,
    detail: string,
  ) {
    super(`directory statement ${seq} refused (${reason}): ${detail}`);
  }
}

/** Who may certify the person a situation is about: the coordinator, or a professional bound by secrecy. */
const PERSON_CERTIFIERS: readonly string[] = ['coordinator', 'health_professional', 'social_worker'];

export interface ReplayOptions {
  clsmId: string;
  /** The roles a statement may name. */
  roles: readonly string[];
  /**
   * A prefix (15 or 16 bytes) of the SHA-256 the root's fingerprint shows: from an enrollment code,
   * or from this device's own keys if it is the root. Without one, the root is only self-signed.
   */
  anchor?: Uint8Array | undefined;
}

export function emptyDirectory(clsmId: string): DirectoryState {
  return { clsmId, rootId: undefined, members: new Map(), hashes: [] };
}

export function headOf(state: DirectoryState): DirectoryHead | undefined {
  const seq = state.hashes.length - 1;
  const hash = state.hashes[seq];
  return hash === undefined ? undefined : { seq, hash };
}

/** The state after `entries`, replayed from the empty log; throws DirectoryError at the first refusal. */
export function replayDirectory(
  entries: readonly SignedStatement[],
  options: ReplayOptions,
): Promise<DirectoryState> {
  return extendDirectory(emptyDirectory(options.clsmId), entries, options);
}

/** The state after `entries` appended to `state` (which is left as it was). */
export async function extendDirectory(
  state: DirectoryState,
  entries: readonly SignedStatement[],
  options: ReplayOptions,
): Promise<DirectoryState> {
  const next: DirectoryState = {
    clsmId: state.clsmId,
    rootId: state.rootId,
    members: new Map([...state.members].map(([id, m]) => [id, { ...m, keys: new Map(m.keys) }])),
    hashes: [...state.hashes],
  };
  for (const entry of entries) await apply(next, entry, options);
  return next;
}

/** Refuses a log that lost or rewrote what this device saw before (`remembered`). */
export function checkExtends(state: DirectoryState, remembered: DirectoryHead | undefined): void {
  if (remembered === undefined) return;
  const seen = state.hashes[remembered.seq];
  if (seen === undefined)
    throw new DirectoryError(
      remembered.seq,
      'TRUNCATED',
      `the log ends before statement ${remembered.seq}, which this device verified before`,
    );
  if (!equalBytes(seen, remembered.hash))
    throw new DirectoryError(
      remembered.seq,
      'FORKED',
      'this statement is not the one this device verified before: the log was rewritten',
    );
}

async function apply(state: DirectoryState, e: SignedStatement, options: ReplayOptions): Promise<void> {
  const seq = state.hashes.length;
  const refuse = (reason: DirectoryRefusal, detail: string) => new DirectoryError(seq, reason, detail);
  if (e.clsmId !== state.clsmId) throw refuse('WRONG_CLSM', 'it belongs to another CLSM');
  if (e.seq !== seq) throw refuse('WRONG_SEQ', `statement ${e.seq} came where ${seq} was expected`);
  const prev = state.hashes[seq - 1] ?? null;
  if (prev === null ? e.prevHash !== null : e.prevHash === null || !equalBytes(prev, e.prevHash))
    throw refuse('WRONG_PREV_HASH', 'it does not chain to the statement before it');
  if (!(DIRECTORY_KINDS as readonly string[]).includes(e.kind)) throw refuse('MALFORMED', 'unknown kind');
  checkShape(e, refuse);
  if (e.role !== null && !options.roles.includes(e.role)) throw refuse('UNKNOWN_ROLE', 'unknown role');
  if ((e.kind === 'root') !== (seq === 0)) throw refuse('MALFORMED', 'the root comes first, and only first');

  const sodium = await loadSodium();
  const subject = state.members.get(e.subjectId);
  if (e.kind === 'root') {
    if (e.authorId !== e.subjectId) throw refuse('MALFORMED', 'the root certifies its own author');
    if (e.role !== 'coordinator') throw refuse('MALFORMED', 'the root is a coordinator');
    const signKey = e.signPublicKey as Uint8Array;
    const boxKey = e.boxPublicKey as Uint8Array;
    if (!sodium.crypto_sign_verify_detached(e.signature, statementMessage(e), signKey))
      throw refuse('BAD_SIGNATURE', 'the root is not signed by its own key');
    if (options.anchor !== undefined) {
      const digest = await fingerprintDigest(signKey, boxKey);
      if (
        options.anchor.length < 15 ||
        !equalBytes(digest.subarray(0, options.anchor.length), options.anchor)
      )
        throw refuse('ROOT_NOT_ANCHORED', "the root's fingerprint is not the one this device trusts");
    }
    state.rootId = e.subjectId;
  } else {
    const author = state.members.get(e.authorId);
    // The person's certificate may come from the participant bound by secrecy who invited them
    // (docs/adr/0030); every other statement from a coordinator.
    const authorRoles =
      e.kind === 'certify' && e.role === 'person' ? PERSON_CERTIFIERS : (['coordinator'] as const);
    if (author === undefined || author.status !== 'active' || !authorRoles.includes(author.role))
      throw refuse(
        'NOT_A_COORDINATOR',
        `its author was not an active ${authorRoles.join(' or ')} at that point`,
      );
    const authorKeys = author.keys.get(author.keyVersion) as CertifiedKeys;
    if (!sodium.crypto_sign_verify_detached(e.signature, statementMessage(e), authorKeys.signPublicKey))
      throw refuse('BAD_SIGNATURE', "it is not signed by its author's current key");
    if (e.kind === 'certify') {
      if (subject !== undefined) throw refuse('ALREADY_CERTIFIED', 'this member is already certified');
    } else if (subject === undefined) {
      throw refuse('UNKNOWN_MEMBER', 'it is about a member who was never certified');
    }
  }

  switch (e.kind) {
    case 'root':
    case 'certify':
      state.members.set(e.subjectId, {
        id: e.subjectId,
        role: e.role as string,
        organisation: e.organisation as string,
        displayName: e.displayName as string,
        status: 'active',
        keys: new Map([
          [
            e.keyVersion as number,
            {
              version: e.keyVersion as number,
              signPublicKey: e.signPublicKey as Uint8Array,
              boxPublicKey: e.boxPublicKey as Uint8Array,
            },
          ],
        ]),
        keyVersion: e.keyVersion as number,
        certifiedBy: e.authorId,
        seq,
      });
      break;
    case 'role':
      if (e.role === 'person' || subject?.role === 'person')
        throw refuse('MALFORMED', "the person's account is theirs alone: no role changes into or out of it");
      (subject as CertifiedMember).role = e.role as string;
      break;
    case 'suspend':
      if (subject?.status === 'suspended')
        throw refuse('ALREADY_SUSPENDED', 'this member is suspended already');
      (subject as CertifiedMember).status = 'suspended';
      break;
    case 'reinstate':
      if (subject?.status !== 'suspended') throw refuse('NOT_SUSPENDED', 'this member is not suspended');
      subject.status = 'active';
      break;
    case 'device': {
      const m = subject as CertifiedMember;
      if (e.keyVersion !== m.keyVersion + 1)
        throw refuse('WRONG_KEY_VERSION', `replacement keys must be version ${m.keyVersion + 1}`);
      m.keys.set(e.keyVersion, {
        version: e.keyVersion,
        signPublicKey: e.signPublicKey as Uint8Array,
        boxPublicKey: e.boxPublicKey as Uint8Array,
      });
      m.keyVersion = e.keyVersion;
      break;
    }
  }
  state.hashes.push(await statementHash(e));
}

function checkShape(e: SignedStatement, refuse: (r: DirectoryRefusal, d: string) => DirectoryError): void {
  const wanted = KIND_FIELDS[e.kind];
  const present = {
    role: e.role !== null,
    organisation: e.organisation !== null,
    displayName: e.displayName !== null,
    keys: e.signPublicKey !== null || e.boxPublicKey !== null,
    keyVersion: e.keyVersion !== null,
  };
  for (const [field, isPresent] of Object.entries(present))
    if (isPresent !== wanted.includes(field as keyof typeof present))
      throw refuse('MALFORMED', `a ${e.kind} statement ${isPresent ? 'carries no' : 'needs a'} ${field}`);
  if (present.keys && (e.signPublicKey?.length !== 32 || e.boxPublicKey?.length !== 32))
    throw refuse('MALFORMED', 'public keys are 32 bytes each');
  if (present.keyVersion && (!Number.isSafeInteger(e.keyVersion) || (e.keyVersion as number) < 1))
    throw refuse('MALFORMED', 'key versions start at 1');
  if (e.signature.length !== 64) throw refuse('BAD_SIGNATURE', 'a signature is 64 bytes');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
