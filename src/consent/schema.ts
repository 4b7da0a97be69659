import type { ColumnType } from 'kysely';

export const CONSENT_DECISIONS = ['given', 'refused', 'withdrawn'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];
export const CONSENT_OBTAINED = ['oral', 'written', 'legal_representative'] as const;
export const EXCEPTION_BASES = [
  'danger_grave_imminent',
  'unable_to_express_will',
  'legal_representative',
] as const;
export type ExceptionBasis = (typeof EXCEPTION_BASES)[number];

export interface ConsentRecordsTable {
  clsm_id: string;
  id: string;
  seq: ColumnType<number, never, never>;
  case_id: string;
  decision: ConsentDecision;
  /** 'role:compartment' pairs. */
  scope: string[];
  obtained: (typeof CONSENT_OBTAINED)[number];
  statistics_objection: boolean;
  evidence_entry_id: string | null;
  review_on: string | null;
  recorded_by: string;
  recorded_at: Date;
  /** Who confirmed a change that widened the recorder's own access (null: it took effect at once). */
  confirmed_by: ColumnType<string | null, string | null | undefined, never>;
}

/** A consent change waiting for a second participant bound by secrecy (src/consent/proposals.ts). */
export interface ConsentProposalsTable {
  clsm_id: string;
  id: string;
  case_id: string;
  decision: ConsentDecision;
  scope: string[];
  obtained: (typeof CONSENT_OBTAINED)[number];
  statistics_objection: boolean;
  evidence_entry_id: string | null;
  review_on: string | null;
  recorded_by: string;
  recorded_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  outcome: 'confirmed' | 'refused' | 'cancelled' | 'superseded' | null;
  record_id: string | null;
}

export interface LegalExceptionsTable {
  clsm_id: string;
  id: string;
  case_id: string;
  basis: ExceptionBasis;
  scope: string[];
  justification_entry_id: string;
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  duration_hours: number;
  expires_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  person_informed_at: Date | null;
  /** The seq of its opening statement in the situation's membership log (none before the log). */
  log_seq: number | null;
}

export interface ConsentTables {
  consent_records: ConsentRecordsTable;
  consent_proposals: ConsentProposalsTable;
  legal_exceptions: LegalExceptionsTable;
}
