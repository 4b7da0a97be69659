import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { AuditBuffer, type AuditSink } from './audit-buffer.js';

/**
 * One transaction whose audit events are appended after its work returns, in that transaction: the
 * action and its events commit together, and a throw rolls back both (an `AuditedRefusal` is then
 * recorded on its own by the error handler, docs/adr/0008).
 */
export async function inUnit<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>, audit: AuditSink) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const buffer = new AuditBuffer();
    const result = await work(trx, buffer);
    await buffer.flush(trx);
    return result;
  });
}
