import type { ColumnType, Generated } from 'kysely';
import type { Compartment } from '../kernel/compartments.js';

/**
 * Each compartment of a situation: the version of its current key, and whether a member lost
 * access since it was made (then the next entry needs a new key: src/keys/rotation.ts).
 */
export interface CaseCompartmentsTable {
  clsm_id: string;
  case_id: string;
  compartment: Compartment;
  key_version: Generated<number>;
  rotation_required: Generated<boolean>;
}

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
  case_compartments: CaseCompartmentsTable;
  key_grants: KeyGrantsTable;
}
