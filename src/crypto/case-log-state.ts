import type { SignedCaseLogStatement } from './case-log-statements.js';

// What replaying a situation's membership log yields (src/crypto/case-log-replay.ts): who takes part
// and in what, the person's consent, the exceptions, each compartment's key versions; and why a
// statement that does not follow is refused.

export interface LogDirectory {
  /** The certified signing key of this version of a member's device keys. */
  signKey(memberId: string, keyVersion: number): Uint8Array | undefined;
  /** The member's role in the verified directory. */
  role(memberId: string): string | undefined;
}

export interface LogParticipant {
  compartments: string[];
  addedBy: string;
  seq: number;
}

export interface LogException {
  openedSeq: number;
  openedBy: string;
  scope: readonly string[];
  hours: number;
  approvedAt: string | null;
  /** A deadline set sooner than approvedAt + hours, if it was shortened. */
  until: string | null;
  closed: boolean;
}

export interface LogKeyVersion {
  version: number;
  seq: number;
  at: string;
  authorId: string;
  recipients: readonly string[];
}

export interface CaseLogState {
  clsmId: string;
  caseId: string;
  statements: SignedCaseLogStatement[];
  /** The hash of every statement replayed, by seq: the head is the last one. */
  hashes: Uint8Array[];
  participants: Map<string, LogParticipant>;
  consent: { decision: string; scope: readonly string[]; seq: number } | null;
  exceptions: Map<number, LogException>;
  /** Each compartment's key versions, oldest first. */
  keys: Map<string, LogKeyVersion[]>;
  /** Each compartment's last change that took it from someone (removal, narrowing, consent, exception end). */
  retired: Map<string, number>;
}

export interface CaseLogHead {
  seq: number;
  hash: Uint8Array;
}

export type CaseLogRefusal =
  | 'WRONG_SITUATION'
  | 'WRONG_SEQ'
  | 'WRONG_PREV_HASH'
  | 'BAD_SIGNATURE'
  | 'NOT_CERTIFIED'
  | 'MALFORMED'
  | 'NOT_A_PARTICIPANT'
  | 'ALONE'
  | 'UNKNOWN_REFERENCE';

/** The log does not follow: which statement and why. */
export class CaseLogError extends Error {
  override name = 'CaseLogError';
  constructor(
    readonly seq: number,
    readonly reason: CaseLogRefusal,
    detail: string,
  ) {
    super(`membership log statement ${seq} refused (${reason}): ${detail}`);
  }
}

export function emptyCaseLog(clsmId: string, caseId: string): CaseLogState {
  return {
    clsmId,
    caseId,
    statements: [],
    hashes: [],
    participants: new Map(),
    consent: null,
    exceptions: new Map(),
    keys: new Map(),
    retired: new Map(),
  };
}

export function caseLogHeadOf(state: CaseLogState): CaseLogHead | undefined {
  const seq = state.hashes.length - 1;
  const hash = state.hashes[seq];
  return hash === undefined ? undefined : { seq, hash };
}
