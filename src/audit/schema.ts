import type { ColumnType } from 'kysely';

/** Columns the database computes: the application cannot write them. */
type Computed<T> = ColumnType<T, never, never>;

export interface AuditEventsTable {
  clsm_id: string;
  seq: Computed<number>;
  at: Computed<Date>;
  type: string;
  outcome: 'success' | 'denied' | 'failure';
  reason: string | null;
  actor_id: string | null;
  actor_role: string | null;
  action: string | null;
  resource_type: string | null;
  resource_id: string | null;
  case_id: string | null;
  compartment: string | null;
  subject_id: string | null;
  key_version: number | null;
  legal_basis: 'consent' | 'exception' | 'care_team' | 'own' | 'law' | null;
  legal_basis_id: string | null;
  request_id: string | null;
  /** How many refusals one aggregated event stands for; null for an event that stands for itself. */
  occurrences: number | null;
  prev_hash: Computed<Buffer>;
  hash: Computed<Buffer>;
}

/**
 * Events written by actions whose chain is not sealed yet (docs/adr/0032): the application role
 * inserts them and reads nothing back but their key; `audit_seal` moves them into the chain.
 */
export type AuditPendingTable = Omit<AuditEventsTable, 'seq' | 'prev_hash' | 'hash'> & {
  id: Computed<number>;
};

export interface AuditCheckpointsTable {
  clsm_id: string;
  seq: number;
  hash: Buffer;
  signed_at: Date;
  key_id: string;
  signature: Buffer;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_pending: AuditPendingTable;
  audit_checkpoints: AuditCheckpointsTable;
}
