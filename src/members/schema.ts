import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../kernel/roles.js';
import type { PartnerCategory } from '../stats/vocabulary/categories.js';

export interface MembersTable {
  clsm_id: string;
  id: string;
  role: Role;
  organisation: string;
  display_name: string;
  status: Generated<'active' | 'suspended'>;
  oidc_subject: string | null;
  created_at: ColumnType<Date, never, never>;
  suspended_at: Date | null;
  /** The kind of institution the member sits for (attendance statistics count institutions, never people). */
  partner_category: PartnerCategory | null;
  /** When a recovery last replaced the member's device keys: identity-provider tokens issued before are refused. */
  keys_replaced_at: ColumnType<Date | null, never, Date>;
}

export interface MemberKeysTable {
  clsm_id: string;
  member_id: string;
  version: number;
  sign_public_key: Buffer;
  box_public_key: Buffer;
  self_signature: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface EnrollmentCodesTable {
  clsm_id: string;
  id: string;
  code_hash: Buffer;
  role: Role;
  organisation: string;
  display_name: string;
  created_by: string | null;
  created_at: ColumnType<Date, never, never>;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
  purpose: ColumnType<'enroll' | 'recover', 'enroll' | 'recover' | undefined, never>;
  partner_category: PartnerCategory | null;
  /** The member the code is for: the one an enrollment creates, or the one whose backup it unlocks. */
  member_id: string;
  /** Wrong passphrase proofs presented with a recovery code: at the limit, the code is spent. */
  failed_proofs: ColumnType<number, never, number>;
  /** For the person a situation is about: that situation, the only one their account may join. */
  case_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface MemberKeyBackupsTable {
  clsm_id: string;
  member_id: string;
  key_version: number;
  blob: unknown;
  /** SHA-256 of the authentication key derived with the wrapping key; none on backups stored before. */
  verifier: Buffer | null;
  updated_at: ColumnType<Date, never, Date>;
}

export interface MemberTables {
  members: MembersTable;
  member_keys: MemberKeysTable;
  enrollment_codes: EnrollmentCodesTable;
  member_key_backups: MemberKeyBackupsTable;
}
