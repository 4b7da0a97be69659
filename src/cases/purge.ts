import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { forgetCase } from '../stats/recorder/case-stages.js';

// End of retention = crypto-shredding: every ciphertext and every wrapped key of the case is
// deleted. What stays: the case's reference, status and dates (a tombstone that answers 410), its
// participants, consent and exception records, its audit trail, and the anonymous statistics facts,
// no longer linked to it. No category stays on the tombstone: what it was about, why it was declined
// or how it ended, and its sittings' decisions go (stats.forget_case, migrations/2026113003).

export interface Purgeable {
  clsmId: string;
  caseId: string;
  reference: string;
  retentionUntil: Date;
}

export async function expiredCases(db: Kysely<Database>, now: Date): Promise<Purgeable[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['clsm_id', 'id', 'reference', 'retention_until'])
    .where('purged_at', 'is', null)
    .where('retention_until', '<=', now)
    .orderBy('retention_until')
    .execute();
  return rows.map((r) => ({
    clsmId: r.clsm_id,
    caseId: r.id,
    reference: r.reference,
    retentionUntil: r.retention_until ?? now,
  }));
}

/** Purges every case past its retention date, each in its own transaction with its tombstone event. */
export async function purgeExpired(
  db: Kysely<Database>,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<Purgeable[]> {
  const due = await expiredCases(db, now);
  let done = 0;
  for (const c of due) {
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('entries')
        .where('clsm_id', '=', c.clsmId)
        .where('case_id', '=', c.caseId)
        .execute();
      await trx
        .deleteFrom('key_grants')
        .where('clsm_id', '=', c.clsmId)
        .where('case_id', '=', c.caseId)
        .execute();
      await trx
        .updateTable('cases')
        .set({ purged_at: now })
        .where('clsm_id', '=', c.clsmId)
        .where('id', '=', c.caseId)
        .where('purged_at', 'is', null)
        .execute();
      await forgetCase(trx, c);
      await appendAudit(trx, {
        clsmId: c.clsmId,
        type: 'case.purged',
        outcome: 'success',
        caseId: c.caseId,
        resourceType: 'case',
        resourceId: c.caseId,
        reason: 'RETENTION_ENDED',
      });
    });
    done += 1;
    onProgress?.(done, due.length);
  }
  return due;
}
