import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { factsFor, requireCase } from '../access/case-state.js';
import { requireException } from './exceptions.js';

/**
 * The one who approved an exception may end it sooner than they first agreed: a new deadline,
 * still to come and earlier than the current one. Never later: a longer exception is a new one,
 * asked for and approved again. To end it now, close it.
 */
export async function shortenException(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  exceptionId: string,
  expiresAt: Date,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const state = await requireCase(trx, ctx.policies, caller, caseId, now, 'exception.shorten');
    const row = await requireException(trx, caller, caseId, exceptionId);
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'exception.shorten',
      facts: factsFor(state, caller),
      isApprover: row.approved_by === caller.memberId,
    });
    if (row.expires_at === null || row.closed_at !== null || row.expires_at <= now)
      throw new AppError('CONFLICT', 'only an approved exception still in force can be shortened');
    if (expiresAt.getTime() >= row.expires_at.getTime())
      throw new AppError(
        'VALIDATION_FAILED',
        `expiresAt must be earlier than the current deadline (${row.expires_at.toISOString()})`,
      );
    if (expiresAt.getTime() <= now.getTime())
      throw new AppError(
        'VALIDATION_FAILED',
        'expiresAt must be to come; to end the exception now, close it',
      );
    await trx
      .updateTable('legal_exceptions')
      .set({ expires_at: expiresAt })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', exceptionId)
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'exception.shortened',
      outcome: 'success',
      caseId,
      resourceType: 'exception',
      resourceId: exceptionId,
      legalBasis: { kind: 'exception', id: exceptionId },
    });
  });
}
