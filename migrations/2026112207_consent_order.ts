import { sql, type Kysely } from 'kysely';

// The person's current position is their latest consent record. Two records written within the
// same instant must still have an order: an identity column gives it (gaps do not matter here).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE consent_records ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY').execute(db);
  await sql.raw('CREATE INDEX consent_records_order ON consent_records (clsm_id, case_id, seq)').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE consent_records DROP COLUMN seq').execute(db);
}
