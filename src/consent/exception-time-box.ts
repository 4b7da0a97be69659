import type { AppContext } from '../context.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';
import type { Transaction } from 'kysely';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import type { Database } from '../db/schema.js';
import { withCase } from '../unit-of-work/case-unit.js';
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
  expiresAt: string,
  log?: LogSealWire,
): Promise<void> {
  const deadline = new Date(expiresAt);
  const find = async (trx: Transaction<Database>) => {
    const row = await requireException(trx, caller, caseId, exceptionId);
    return { found: row, relation: { isApprover: row.approved_by === caller.memberId } };
  };
  await withCase(ctx, caller, { caseId, action: 'exception.shorten', find }, async (trx, scope) => {
    const { now, found: row } = scope;
    if (row.expires_at === null || row.closed_at !== null || row.expires_at <= now)
      throw new AppError('CONFLICT', 'only an approved exception still in force can be shortened');
    if (deadline.getTime() >= row.expires_at.getTime())
      throw new AppError(
        'VALIDATION_FAILED',
        `expiresAt must be earlier than the current deadline (${row.expires_at.toISOString()})`,
      );
    if (deadline.getTime() <= now.getTime())
      throw new AppError(
        'VALIDATION_FAILED',
        'expiresAt must be to come; to end the exception now, close it',
      );
    // The deadline as the caller wrote and signed it.
    const shortened = change('exception-shortened', { ref: row.log_seq, until: expiresAt });
    await appendCaseLog(trx, { caller, caseId, action: 'exception.shorten' }, shortened, log);
    await trx
      .updateTable('legal_exceptions')
      .set({ expires_at: deadline })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', exceptionId)
      .execute();
    scope.audit({
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
