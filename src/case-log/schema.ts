import type { CaseLogKind } from '../crypto/case-log-statements.js';

/** One statement of a situation's membership log, as signed (docs/crypto-protocol.md, "The membership log"). */
export interface CaseLogTable {
  clsm_id: string;
  case_id: string;
  seq: number;
  prev_hash: Buffer | null;
  kind: CaseLogKind;
  author_id: string;
  author_key_version: number;
  at: string;
  subject_id: string | null;
  compartments: string[] | null;
  key_version: number | null;
  recipients: string[] | null;
  decision: string | null;
  scope: string[] | null;
  hours: number | null;
  until: string | null;
  ref: number | null;
  requested_by: string | null;
  signature: Buffer;
  hash: Buffer;
}

export interface CaseLogTables {
  case_log: CaseLogTable;
}
