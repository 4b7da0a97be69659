import type { ColumnType } from 'kysely';
import type { Compartment } from '../kernel/compartments.js';

/** One compartment key version sealed to one member's device key, signed by the member who gave it. */
export interface KeyGrantsTable {
  clsm_id: string;
  case_id: string;
  compartment: Compartment;
  key_version: number;
  grantee_id: string;
  grantee_key_version: number;
  granter_id: string;
  sealed_key: Buffer;
  signature: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface KeyTables {
  key_grants: KeyGrantsTable;
}
