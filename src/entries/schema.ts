import type { ColumnType } from 'kysely';
import type { Compartment } from '../kernel/compartments.js';

export const ENTRY_KINDS = [
  'note',
  'referral',
  'minutes',
  'correction',
  'evidence',
  'justification',
  'action',
  'decision',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
/** Kinds written through the generic entries route; minutes go through their sitting's agenda item. */
export const DIRECT_ENTRY_KINDS = [
  'note',
  'referral',
  'correction',
  'evidence',
  'justification',
  'action',
  'decision',
] as const;

export interface EntriesTable {
  clsm_id: string;
  id: string;
  case_id: string;
  compartment: Compartment;
  key_version: number;
  author_id: string;
  kind: EntryKind;
  refers_to: string | null;
  nonce: Buffer;
  ciphertext: Buffer;
  signature: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface EntryTables {
  entries: EntriesTable;
}
