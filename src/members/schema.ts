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
}

export interface MemberKeyBackupsTable {
  clsm_id: string;
  member_id: string;
  key_version: number;
  blob: unknown;
  updated_at: ColumnType<Date, never, Date>;
}

export interface MemberTables {
  members: MembersTable;
  member_keys: MemberKeysTable;
  enrollment_codes: EnrollmentCodesTable;
  member_key_backups: MemberKeyBackupsTable;
}
