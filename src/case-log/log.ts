import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SignedCaseLogStatement } from '../crypto/case-log-statements.js';
import type { CaseLogTable } from './schema.js';

// Reading a situation's membership log, in order; its head, to chain the next statement to.

type Executor = Kysely<Database> | Transaction<Database>;

/** Statements after `after` (all of them without it), at most `limit`, oldest first. */
export async function readCaseLog(
  db: Executor,
  clsmId: string,
  caseId: string,
  page: { after?: number | undefined; limit?: number } = {},
): Promise<SignedCaseLogStatement[]> {
  let q = db.selectFrom('case_log').selectAll().where('clsm_id', '=', clsmId).where('case_id', '=', caseId);
  if (page.after !== undefined) q = q.where('seq', '>', page.after);
  if (page.limit !== undefined) q = q.limit(page.limit);
  const rows = await q.orderBy('seq').execute();
  return rows.map(fromRow);
}

/** The last statement's seq and hash, if the log has any. */
export async function caseLogHead(
  db: Executor,
  clsmId: string,
  caseId: string,
): Promise<{ seq: number; hash: Buffer } | undefined> {
  return db
    .selectFrom('case_log')
    .select(['seq', 'hash'])
    .where('clsm_id', '=', clsmId)
    .where('case_id', '=', caseId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
    .then((r) => (r === undefined ? undefined : { seq: r.seq, hash: r.hash }));
}

export function fromRow(r: CaseLogTable): SignedCaseLogStatement {
  return {
    clsmId: r.clsm_id,
    caseId: r.case_id,
    seq: r.seq,
    prevHash: r.prev_hash,
    kind: r.kind,
    authorId: r.author_id,
    authorKeyVersion: r.author_key_version,
    at: r.at,
    subjectId: r.subject_id,
    compartments: r.compartments,
    keyVersion: r.key_version,
    recipients: r.recipients,
    decision: r.decision,
    scope: r.scope,
    hours: r.hours,
    until: r.until,
    ref: r.ref,
    requestedBy: r.requested_by,
    signature: r.signature,
  };
}
