import type { ColumnType } from 'kysely';
import type { Compartment } from '../kernel/compartments.js';

export const CASE_STATUSES = [
  'referred',
  'accepted',
  'declined',
  'under_review',
  'action_plan',
  'follow_up',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const URGENCIES = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface CaseCountersTable {
  clsm_id: string;
  year: number;
  last: number;
}

export interface CasesTable {
  clsm_id: string;
  id: string;
  reference: string;
  status: CaseStatus;
  urgency: Urgency;
  /** NULL once purged: a tombstone keeps no category (src/cases/purge.ts). */
  reason_category: string | null;
  referred_by: string;
  referred_at: Date;
  decided_at: Date | null;
  first_review_at: Date | null;
  closed_at: Date | null;
  decline_reason: string | null;
  outcome_category: string | null;
  retention_until: Date | null;
  purged_at: Date | null;
  /** When the person's categories were last declared (business clock): src/stats/releases/approval.ts. */
  categories_changed_at: Date | null;
}

export interface CaseTransitionsTable {
  clsm_id: string;
  case_id: string;
  seq: number;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  category: string | null;
  member_id: string;
  at: Date;
}

export interface CaseParticipantsTable {
  clsm_id: string;
  case_id: string;
  member_id: string;
  added_by: string;
  added_at: Date;
  removed_at: Date | null;
  compartments: ColumnType<Compartment[], Compartment[] | undefined, Compartment[]>;
}

/** An addition waiting for a second participant bound by secrecy (src/cases/participant-requests.ts). */
export interface ParticipantRequestsTable {
  clsm_id: string;
  id: string;
  case_id: string;
  member_id: string;
  compartments: Compartment[];
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  outcome: 'approved' | 'refused' | 'cancelled' | null;
}

export interface CaseTables {
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_transitions: CaseTransitionsTable;
  case_participants: CaseParticipantsTable;
  participant_requests: ParticipantRequestsTable;
}
