import { sql } from 'kysely';
import type { TestDatabase } from './database.js';
import { asOwner } from './owner.js';

/**
 * Makes every audit insert fail while `fn` runs, as the schema's owner could: what an action whose
 * event is not written with it, or a read answered before its event, would survive.
 */
export async function withAuditRefused<T>(tdb: TestDatabase, fn: () => Promise<T>): Promise<T> {
  await asOwner(tdb, async (db) => {
    await sql`create function refuse_audit_for_test() returns trigger language plpgsql
      as $$ begin raise exception 'audit refused'; end $$`.execute(db);
    await sql`create trigger refuse_audit before insert on audit_pending
      for each row execute function refuse_audit_for_test()`.execute(db);
  });
  try {
    return await fn();
  } finally {
    await asOwner(tdb, async (db) => {
      await sql`drop trigger refuse_audit on audit_pending`.execute(db);
      await sql`drop function refuse_audit_for_test()`.execute(db);
    });
  }
}
