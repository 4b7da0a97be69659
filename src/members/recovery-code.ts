import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { PLATFORM_CLSM, type AuditActor, type AuditEventType } from '../kernel/audit-events.js';
import { hashEnrollmentCode } from './enrollment-codes.js';

// A coordinator's one-time recovery code, as each step of a recovery presents it (recovery.ts):
// usable or refused, audited; the proof derived from the passphrase checked in constant time
// against the backup's verifier; a wrong proof counted, and the code spent at MAX_FAILED_PROOFS.

export const MAX_FAILED_PROOFS = 5;

export interface RecoveryCode {
  clsm_id: string;
  id: string;
  member_id: string;
  role: Database['enrollment_codes']['role'];
  key_version: number;
  blob: unknown;
  verifier: Buffer;
}

/** The person presenting a recovery code acts as the member it names (who else, the server cannot know). */
export function actorOf(
  row: Pick<RecoveryCode, 'clsm_id' | 'member_id' | 'role'>,
  requestId: string,
): AuditActor {
  return { clsmId: row.clsm_id, actorId: row.member_id, actorRole: row.role, requestId };
}

/**
 * Runs `work` once the code is usable and the proof matches its backup's verifier. A wrong proof is
 * counted in a statement of its own (the refused transaction rolls back), and spends the code at
 * the limit.
 */
export async function withProof<T>(
  ctx: AppContext,
  code: string,
  proof: Buffer,
  type: AuditEventType,
  requestId: string,
  work: (trx: Transaction<Database>, row: RecoveryCode) => Promise<T>,
): Promise<T> {
  let wrong: RecoveryCode | undefined;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await usableCode(trx, code, type, requestId);
      const presented = createHash('sha256').update(proof).digest();
      if (!timingSafeEqual(presented, row.verifier)) {
        wrong = row;
        throw new WrongProof();
      }
      return work(trx, row);
    });
  } catch (err) {
    if (!(err instanceof WrongProof) || wrong === undefined) throw err;
    throw await countWrongProof(ctx, wrong, type, requestId);
  }
}

class WrongProof extends Error {}

async function countWrongProof(
  ctx: AppContext,
  row: RecoveryCode,
  type: AuditEventType,
  requestId: string,
): Promise<AuditedRefusal> {
  const counted = await ctx.db
    .updateTable('enrollment_codes')
    .set((eb) => ({
      failed_proofs: eb('failed_proofs', '+', 1),
      used_at: sql<Date | null>`case when failed_proofs + 1 >= ${MAX_FAILED_PROOFS} then now() else used_at end`,
    }))
    .where('clsm_id', '=', row.clsm_id)
    .where('id', '=', row.id)
    .returning('failed_proofs')
    .executeTakeFirstOrThrow();
  const left = Math.max(0, MAX_FAILED_PROOFS - counted.failed_proofs);
  return new AuditedRefusal(
    'ENROLLMENT_CODE_INVALID',
    left > 0
      ? `wrong passphrase: ${left} attempt(s) left with this recovery code`
      : 'wrong passphrase, too many times: this recovery code is spent; ask the coordinator for a new one',
    {
      ...actorOf(row, requestId),
      type,
      outcome: 'denied',
      reason: left > 0 ? 'BAD_PROOF' : 'BAD_PROOF_CODE_SPENT',
      subjectId: row.member_id,
      resourceType: 'invitation',
      resourceId: row.id,
    },
  );
}

/** The code's row with its backup, locked; refused (audited) unless it can still be redeemed. */
export async function usableCode(
  trx: Transaction<Database>,
  code: string,
  type: AuditEventType,
  requestId: string,
): Promise<RecoveryCode> {
  const row = await trx
    .selectFrom('enrollment_codes as c')
    .innerJoin('member_key_backups as b', (j) =>
      j.onRef('b.clsm_id', '=', 'c.clsm_id').onRef('b.member_id', '=', 'c.member_id'),
    )
    .select(['c.clsm_id', 'c.id', 'c.member_id', 'c.role', 'c.used_at', 'c.expires_at', 'c.failed_proofs'])
    .select(['b.key_version', 'b.blob', 'b.verifier'])
    .where('c.code_hash', '=', hashEnrollmentCode(code))
    .where('c.purpose', '=', 'recover')
    .forUpdate()
    .executeTakeFirst();
  if (
    row === undefined ||
    row.used_at !== null ||
    row.expires_at <= new Date() ||
    row.failed_proofs >= MAX_FAILED_PROOFS
  ) {
    throw new AuditedRefusal(
      'ENROLLMENT_CODE_INVALID',
      'this recovery code is unknown, used or expired, or no backup was stored',
      {
        clsmId: row?.clsm_id ?? PLATFORM_CLSM,
        type,
        outcome: 'denied',
        reason: 'ENROLLMENT_CODE_INVALID',
        requestId,
      },
    );
  }
  const { verifier } = row;
  if (verifier === null) {
    throw new AuditedRefusal(
      'CONFLICT',
      'this key backup was stored before backups were bound to their passphrase, and is never released: ' +
        'the member stores a new backup from a device that still holds the keys, or enrols again',
      {
        ...actorOf(row, requestId),
        type,
        outcome: 'denied',
        reason: 'BACKUP_WITHOUT_VERIFIER',
        subjectId: row.member_id,
      },
    );
  }
  return { ...row, verifier };
}
