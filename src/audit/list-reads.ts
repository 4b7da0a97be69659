import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Action } from '../kernel/actions.js';
import type { Caller } from '../access/authorize.js';
import { appendAudit } from './append.js';
import { by } from '../kernel/audit-events.js';

/**
 * Records that a list was read: once for the list, and once for each situation it named, so that
 * seeing a person's situation in a list shows in that person's access report.
 */
export async function recordListRead(
  trx: Transaction<Database>,
  caller: Caller,
  action: Action,
  caseIds: readonly string[],
): Promise<void> {
  await appendAudit(trx, { ...by(caller), type: 'list.read', outcome: 'success', action });
  for (const caseId of new Set(caseIds)) {
    await appendAudit(trx, { ...by(caller), type: 'list.read', outcome: 'success', action, caseId });
  }
}
