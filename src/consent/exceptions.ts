import { randomUUID } from 'node:crypto';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';
import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by, type AuditActor } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { loadCaseState, type CaseState } from '../access/case-state.js';
import type { AuditSink } from '../unit-of-work/audit-buffer.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { inUnit } from '../unit-of-work/unit.js';
import type { ExceptionBasis } from './schema.js';
import { revokeLostAccess } from './access-diff.js';
import { consentScopes } from './scopes.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// Legal exceptions to consent: when the person cannot consent or refuses but the law allows sharing
// (danger grave et imminent, person unable to express their will, legal representative). One
// professional asks, with a written justification (an encrypted entry); a second, distinct person
// with the coordinator or health professional role approves; the time box starts at approval and
// access ends with it. The person is then informed, and that is recorded too.

export interface ExceptionRequest {
  basis: ExceptionBasis;
  scope: string[];
  justificationEntryId: string;
  durationHours?: number | undefined;
}

export async function openException(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  request: ExceptionRequest,
  log?: LogSealWire,
): Promise<string> {
  const allowed = consentScopes(ctx.policies);
  const outside = request.scope.filter((s) => !allowed.includes(s));
  if (outside.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `an exception cannot open ${outside.join(', ')}; it can open: ${allowed.join(', ')}`,
    );
  return withCase(ctx, caller, { caseId, action: 'exception.open' }, async (trx, scope) => {
    const { now } = scope;
    const justification = await trx
      .selectFrom('entries')
      .select('id')
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('id', '=', request.justificationEntryId)
      .where('kind', '=', 'justification')
      .where('author_id', '=', caller.memberId)
      .executeTakeFirst();
    if (justification === undefined) {
      throw new AppError(
        'VALIDATION_FAILED',
        'write the justification first: an entry of kind "justification" in this case, by you',
      );
    }
    const id = randomUUID();
    const hours = request.durationHours ?? ctx.config.exceptionDefaultHours;
    const opened = change('exception-opened', { scope: request.scope, hours });
    const logSeq = await appendCaseLog(trx, { caller, caseId, action: 'exception.open' }, opened, log);
    await trx
      .insertInto('legal_exceptions')
      .values({
        clsm_id: caller.clsmId,
        id,
        case_id: caseId,
        basis: request.basis,
        scope: request.scope,
        justification_entry_id: request.justificationEntryId,
        requested_by: caller.memberId,
        requested_at: now,
        duration_hours: hours,
        log_seq: logSeq,
      })
      .execute();
    scope.audit({
      ...by(caller),
      type: 'exception.opened',
      outcome: 'success',
      caseId,
      resourceType: 'exception',
      resourceId: id,
      legalBasis: { kind: 'exception', id },
    });
    return id;
  });
}

export async function requireException(
  trx: Transaction<Database>,
  caller: Caller,
  caseId: string,
  exceptionId: string,
) {
  const row = await trx
    .selectFrom('legal_exceptions')
    .selectAll()
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('id', '=', exceptionId)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw notFound('exception');
  return row;
}

/** The second person: never the one who asked (the policy refuses it; so does the database). */
export async function approveException(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  exceptionId: string,
  log?: LogSealWire,
): Promise<Date> {
  const find = async (trx: Transaction<Database>) => {
    const row = await requireException(trx, caller, caseId, exceptionId);
    return { found: row, relation: { isRequester: row.requested_by === caller.memberId } };
  };
  return withCase(ctx, caller, { caseId, action: 'exception.approve', find }, async (trx, scope) => {
    const { now, found: row } = scope;
    if (row.approved_at !== null || row.closed_at !== null)
      throw new AppError('CONFLICT', 'this exception was already approved or closed');
    const expiresAt = new Date(now.getTime() + row.duration_hours * 3_600_000);
    const approved = change('exception-approved', { ref: row.log_seq });
    await appendCaseLog(trx, { caller, caseId, action: 'exception.approve' }, approved, log);
    await trx
      .updateTable('legal_exceptions')
      .set({ approved_by: caller.memberId, approved_at: now, expires_at: expiresAt })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', exceptionId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'exception.approved',
      outcome: 'success',
      caseId,
      resourceType: 'exception',
      resourceId: exceptionId,
      legalBasis: { kind: 'exception', id: exceptionId },
    });
    return expiresAt;
  });
}

/**
 * Ends an exception: those it let in lose their keys; the case's compartments are rotated next.
 * Whom it let in is computed from its own scope, against the case as it stands now: a state loaded
 * after the deadline no longer lists the exception, and would find nobody to revoke.
 */
async function endException(
  trx: Transaction<Database>,
  sink: AuditSink,
  ctx: AppContext,
  actor: AuditActor,
  current: CaseState,
  exception: { id: string; scope: string[]; approved_at: Date | null },
  closedBy: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('legal_exceptions')
    .set({ closed_at: now, closed_by: closedBy })
    .where('clsm_id', '=', current.row.clsm_id)
    .where('id', '=', exception.id)
    .execute();
  const others = current.exceptions.filter((e) => e.id !== exception.id);
  const after = { ...current, exceptions: others };
  // An exception never approved let nobody in.
  const before =
    exception.approved_at === null
      ? after
      : { ...current, exceptions: [...others, { id: exception.id, scope: exception.scope }] };
  const basis = { kind: 'exception', id: exception.id } as const;
  await revokeLostAccess(trx, sink, ctx.policies, actor, before, after, basis);
  sink.audit({
    ...actor,
    type: 'exception.closed',
    outcome: 'success',
    ...(closedBy === null ? { reason: 'EXPIRED' } : {}),
    caseId: current.row.id,
    resourceType: 'exception',
    resourceId: exception.id,
    legalBasis: basis,
  });
}

export async function closeException(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  exceptionId: string,
  log?: LogSealWire,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'exception.close' }, async (trx, scope) => {
    const row = await requireException(trx, caller, caseId, exceptionId);
    if (row.closed_at !== null) throw new AppError('CONFLICT', 'this exception is already closed');
    const closed = change('exception-closed', { ref: row.log_seq });
    await appendCaseLog(trx, { caller, caseId, action: 'exception.close' }, closed, log);
    await endException(trx, scope, ctx, by(caller), scope.state, row, caller.memberId, scope.now);
  });
}

export async function recordPersonInformed(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  exceptionId: string,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'exception.inform' }, async (trx, scope) => {
    const row = await requireException(trx, caller, caseId, exceptionId);
    if (row.approved_at === null)
      throw new AppError(
        'CONFLICT',
        'the exception was never approved: there is nothing to inform the person of',
      );
    await trx
      .updateTable('legal_exceptions')
      .set({ person_informed_at: ctx.clock.now() })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', exceptionId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'exception.person_informed',
      outcome: 'success',
      caseId,
      resourceType: 'exception',
      resourceId: exceptionId,
    });
  });
}

/**
 * The job that closes exceptions whose time box has run out. Access already stopped at the
 * deadline (the policy only counts unexpired exceptions); this deletes the keys that remained.
 */
export async function expireExceptions(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('legal_exceptions')
    .select(['clsm_id', 'id'])
    .where('closed_at', 'is', null)
    .where('expires_at', '<=', now)
    .execute();
  for (const { clsm_id, id } of due) {
    await inUnit(ctx.db, async (trx, audit) => {
      // Locked and read again: someone may have closed it by hand meanwhile.
      const e = await trx
        .selectFrom('legal_exceptions')
        .select(['clsm_id', 'case_id', 'id', 'scope', 'approved_at'])
        .where('clsm_id', '=', clsm_id)
        .where('id', '=', id)
        .where('closed_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (e === undefined) return;
      const current = await loadCaseState(trx, e.clsm_id, e.case_id, now);
      if (current === undefined) return;
      await endException(trx, audit, ctx, { clsmId: e.clsm_id }, current, e, null, now);
    });
  }
  return due.length;
}
