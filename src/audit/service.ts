import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditSigner } from './signer.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { appendAudit } from './append.js';
import { eventsSealed } from '../db/seal-after-commit.js';
import { by } from '../kernel/audit-events.js';
import { checkpointClsm, listCheckpoints, toCheckpointFile, type CheckpointFile } from './checkpoints.js';
import type { Checkpoint } from './signer.js';
import { verifyClsm, type Verdict } from './verify.js';
import type { AuditEventsTable } from './schema.js';
import type { Selectable } from 'kysely';

// Reading the log is itself an audited action: who looked at the access trail is on the trail.

export interface EventFilter {
  caseId?: string | undefined;
  memberId?: string | undefined;
  type?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

export type StoredEvent = Selectable<AuditEventsTable>;

export async function listEvents(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  filter: EventFilter,
): Promise<StoredEvent[]> {
  // The events this process has just answered are in the trail (docs/adr/0039).
  await eventsSealed(db);
  return db.transaction().execute(async (trx) => {
    authorize(policies, caller, { kind: 'clsm', action: 'audit.read' });
    let q = trx.selectFrom('audit_events').selectAll().where('clsm_id', '=', caller.clsmId);
    if (filter.caseId !== undefined) q = q.where('case_id', '=', filter.caseId);
    if (filter.memberId !== undefined)
      q = q.where((eb) =>
        eb.or([eb('actor_id', '=', filter.memberId ?? ''), eb('subject_id', '=', filter.memberId ?? '')]),
      );
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
    const rows = await q.orderBy('seq').limit(filter.limit).execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'audit.read',
      outcome: 'success',
      ...(filter.caseId === undefined ? {} : { caseId: filter.caseId }),
      ...(filter.memberId === undefined ? {} : { subjectId: filter.memberId }),
    });
    return rows;
  });
}

/** Verifies the caller's chain; `brought`: checkpoints the DPO kept outside and hands back. */
export async function verifyLog(
  db: Kysely<Database>,
  policies: PolicyEngine,
  signer: AuditSigner,
  caller: Caller,
  brought: Checkpoint[] = [],
): Promise<Verdict> {
  authorize(policies, caller, { kind: 'clsm', action: 'audit.verify' });
  // The witness outside the database vouches for what the database's own checkpoints may have lost.
  const witnessed = (await signer.witness.read()).filter((cp) => cp.clsmId === caller.clsmId);
  const verdict = await verifyClsm(db, caller.clsmId, {
    publicKey: signer.publicKey,
    external: [...witnessed, ...brought],
  });
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      ...by(caller),
      type: 'audit.verified',
      outcome: verdict.ok ? 'success' : 'failure',
      ...(verdict.ok ? {} : { reason: 'CHAIN_BROKEN' }),
    }),
  );
  return verdict;
}

export async function exportCheckpoints(
  db: Kysely<Database>,
  policies: PolicyEngine,
  signer: AuditSigner,
  caller: Caller,
): Promise<CheckpointFile> {
  authorize(policies, caller, { kind: 'clsm', action: 'audit.checkpoints' });
  return toCheckpointFile(caller.clsmId, signer, await listCheckpoints(db, caller.clsmId));
}

/** On demand: sign the current head now (the periodic job does the same for every CLSM). */
export async function signCheckpointNow(
  db: Kysely<Database>,
  policies: PolicyEngine,
  signer: AuditSigner,
  caller: Caller,
): Promise<Checkpoint | undefined> {
  authorize(policies, caller, { kind: 'clsm', action: 'audit.checkpoints' });
  const cp = await checkpointClsm(db, signer, caller.clsmId);
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      ...by(caller),
      type: 'audit.checkpoint_signed',
      outcome: 'success',
      ...(cp === undefined ? {} : { resourceType: 'checkpoint', resourceId: String(cp.seq) }),
    }),
  );
  return cp;
}
