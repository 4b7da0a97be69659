import { encodeFields, type Field } from './encoding.js';
import { loadSodium } from './sodium.js';

// The statements of a situation's membership log (docs/crypto-protocol.md, "The membership log"):
// who takes part and in which compartments, which key versions were made and for whom, the person's
// consent and the legal exceptions. Each is signed by the member who made the change, on their
// device, and chained to the one before; the server stores it with the action it records, and every
// client replays the log (case-log-replay.ts) to decide whom it seals keys to and whose grants it
// believes. A server that lies can withhold the tail of a log, never write a line of it.

export const CASE_LOG_KINDS = [
  'opened',
  'added',
  'narrowed',
  'removed',
  'key',
  'consent',
  'exception-opened',
  'exception-approved',
  'exception-shortened',
  'exception-closed',
] as const;
export type CaseLogKind = (typeof CASE_LOG_KINDS)[number];

/** What an action says: the fields of its kind (KIND_FIELDS), the others null. */
export interface CaseLogChange {
  kind: CaseLogKind;
  /** The member the change is about (opened: the referrer; added, narrowed, removed). */
  subjectId: string | null;
  /** opened, added: the compartments assigned; narrowed: the one taken away; key: its compartment. */
  compartments: readonly string[] | null;
  /** key: the version made. */
  keyVersion: number | null;
  /** key: the members it was sealed to, as 'memberId:deviceKeyVersion', sorted. */
  recipients: readonly string[] | null;
  /** consent: given, refused or withdrawn. */
  decision: string | null;
  /** consent, exception-opened: the 'role:compartment' pairs opened. */
  scope: readonly string[] | null;
  /** exception-opened: its duration once approved. */
  hours: number | null;
  /** exception-shortened: its new, earlier deadline (ISO 8601, UTC). */
  until: string | null;
  /** exception-approved, -shortened, -closed: the seq of the exception's opening. */
  ref: number | null;
  /** added, consent: the member who asked for the change a second participant now makes. */
  requestedBy: string | null;
}

/** Where a statement sits and who made it, when. */
export interface CaseLogStatement extends CaseLogChange {
  clsmId: string;
  caseId: string;
  seq: number;
  /** The hash of the statement at seq - 1; null for the opening (seq 0). */
  prevHash: Uint8Array | null;
  authorId: string;
  /** The version of the author's device keys that signed it. */
  authorKeyVersion: number;
  /** When, by the author's clock (ISO 8601, UTC): the server does not vouch for it. */
  at: string;
}

export interface SignedCaseLogStatement extends CaseLogStatement {
  signature: Uint8Array;
}

type ChangeField = Exclude<keyof CaseLogChange, 'kind'>;

/** The fields a statement of each kind carries; the others are null. */
export const KIND_FIELDS: Record<CaseLogKind, readonly ChangeField[]> = {
  opened: ['subjectId', 'compartments'],
  added: ['subjectId', 'compartments', 'requestedBy'],
  narrowed: ['subjectId', 'compartments'],
  removed: ['subjectId'],
  key: ['compartments', 'keyVersion', 'recipients'],
  consent: ['decision', 'scope', 'requestedBy'],
  'exception-opened': ['scope', 'hours'],
  'exception-approved': ['ref'],
  'exception-shortened': ['ref', 'until'],
  'exception-closed': ['ref'],
};

/** Fields that a kind may leave null even though it carries them. */
export const OPTIONAL_FIELDS: readonly ChangeField[] = ['requestedBy'];

/** A list as its length, then each item: unambiguous whatever the items hold. */
const list = (items: readonly string[] | null): Field[] =>
  items === null ? [null] : [items.length, ...items];

/** What the author signs: every field, in this order. */
export function caseLogMessage(s: CaseLogStatement): Uint8Array {
  return encodeFields(
    'clsm.case-log.v1',
    s.clsmId,
    s.caseId,
    s.seq,
    s.prevHash,
    s.kind,
    s.authorId,
    s.authorKeyVersion,
    s.at,
    s.subjectId,
    ...list(s.compartments),
    s.keyVersion,
    ...list(s.recipients),
    s.decision,
    ...list(s.scope),
    s.hours,
    s.until,
    s.ref,
    s.requestedBy,
  );
}

/** SHA-256 over the signed message and its signature: the next statement's prevHash. */
export async function caseLogHash(s: SignedCaseLogStatement): Promise<Uint8Array> {
  const sodium = await loadSodium();
  return sodium.crypto_hash_sha256(encodeFields('clsm.case-log-hash.v1', caseLogMessage(s), s.signature));
}

export async function signCaseLogStatement(
  s: CaseLogStatement,
  signSecretKey: Uint8Array,
): Promise<SignedCaseLogStatement> {
  const sodium = await loadSodium();
  return { ...s, signature: sodium.crypto_sign_detached(caseLogMessage(s), signSecretKey) };
}

const NONE: Omit<CaseLogChange, 'kind'> = {
  subjectId: null,
  compartments: null,
  keyVersion: null,
  recipients: null,
  decision: null,
  scope: null,
  hours: null,
  until: null,
  ref: null,
  requestedBy: null,
};

/** A change of one kind: the fields given, every other one null. Lists are copied as given. */
export function change(kind: CaseLogKind, fields: Partial<Omit<CaseLogChange, 'kind'>>): CaseLogChange {
  return { ...NONE, ...fields, kind };
}

/** The recipients of a key as the log states them: 'memberId:deviceKeyVersion', sorted. */
export const recipientList = (grants: readonly { granteeId: string; granteeKeyVersion: number }[]) =>
  grants.map((g) => `${g.granteeId}:${g.granteeKeyVersion}`).sort();
