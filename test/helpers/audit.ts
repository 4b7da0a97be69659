import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { appendAudit } from '../../src/audit/append.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

/** A CLSM row to hang chains on (the audit log references the tenants table). */
export async function bareClsm(db: Kysely<Database>, name = 'Chain test'): Promise<string> {
  const clsmId = randomUUID();
  await db.insertInto('tenants').values({ clsm_id: clsmId, name }).execute();
  return clsmId;
}

/**
 * One audited write: a business row (a revoked-token record: any table the API role writes will do)
 * and its event, in one transaction, exactly as services do it.
 */
export async function auditedWrite(db: Kysely<Database>, clsmId: string, i: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('revoked_tokens')
      .values({ token_hash: randomBytes(32), clsm_id: clsmId, expires_at: new Date(Date.now() + 3600_000) })
      .execute();
    await appendAudit(trx, {
      clsmId,
      type: 'auth.logout',
      outcome: 'success',
      resourceType: 'test',
      resourceId: String(i),
      requestId: randomUUID(),
    });
  });
}

/** The audit events one HTTP answer's request left, in chain order. */
export async function eventsOf(
  db: Kysely<Database>,
  answer: { headers: Record<string, unknown> },
): Promise<
  {
    type: string;
    outcome: string;
    reason: string | null;
    action: string | null;
    actor_id: string | null;
    compartment: string | null;
    subject_id: string | null;
  }[]
> {
  await eventsSealed(db);
  return db
    .selectFrom('audit_events')
    .select(['type', 'outcome', 'reason', 'action', 'actor_id', 'compartment', 'subject_id'])
    .where('request_id', '=', String(answer.headers['x-request-id']))
    .orderBy('seq')
    .execute();
}
