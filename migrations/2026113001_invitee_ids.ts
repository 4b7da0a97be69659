import { sql, type Kysely } from 'kysely';

// A member's device signs its keys for its CLSM and its member id (clsm.member-keys.v2), so the id
// must be known before enrollment: an enrollment code now names the member it will create, as a
// recovery code names the member it recovers. Codes already redeemed name the member they created;
// the others get their id now.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `UPDATE enrollment_codes SET member_id = used_by WHERE member_id IS NULL AND used_by IS NOT NULL`,
    `UPDATE enrollment_codes SET member_id = gen_random_uuid() WHERE member_id IS NULL`,
    `ALTER TABLE enrollment_codes ALTER COLUMN member_id SET NOT NULL`,
    `ALTER TABLE enrollment_codes DROP CONSTRAINT recovery_names_member`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE enrollment_codes ALTER COLUMN member_id DROP NOT NULL`,
    `UPDATE enrollment_codes SET member_id = NULL WHERE purpose = 'enroll'`,
    `ALTER TABLE enrollment_codes ADD CONSTRAINT recovery_names_member CHECK (purpose = 'enroll' OR member_id IS NOT NULL)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
