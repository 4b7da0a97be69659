import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import type { WrappedBackup } from '../crypto/key-backup.js';
import { AppError, notFound } from '../kernel/errors.js';
import { currentKeysOf } from '../keys/current-keys.js';
import { ENROLLMENT_CODE_TTL_MS, hashEnrollmentCode, newEnrollmentCode } from './enrollment-codes.js';

// The server keeps a backup of a member's secret keys only as the opaque blob the client wrapped
// under its passphrase, with the verifier of the authentication key derived alongside (SHA-256:
// the key itself never reaches the server before a recovery). Getting it back on a new device
// takes a one-time recovery code from the coordinator (who checks who is asking, as for an
// enrollment), then proof of the passphrase: src/members/recovery.ts.

export async function storeBackup(
  ctx: AppContext,
  caller: Caller,
  keyVersion: number,
  blob: WrappedBackup,
  verifier: Buffer,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'clsm', action: 'self.keys' });
    // The version is what a recovered device will take its keys to be: it must be the member's own.
    const current = await currentKeysOf(trx, caller);
    if (current?.version !== keyVersion) {
      throw new AppError(
        'VALIDATION_FAILED',
        `keyVersion must be the version of your current device keys (${current?.version ?? 'none'})`,
      );
    }
    await trx
      .insertInto('member_key_backups')
      .values({
        clsm_id: caller.clsmId,
        member_id: caller.memberId,
        key_version: keyVersion,
        blob: JSON.stringify(blob),
        verifier,
      })
      .onConflict((oc) =>
        oc.columns(['clsm_id', 'member_id']).doUpdateSet({
          key_version: keyVersion,
          blob: JSON.stringify(blob),
          verifier,
          updated_at: new Date(),
        }),
      )
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'member.key_backup_stored',
      outcome: 'success',
      subjectId: caller.memberId,
      keyVersion,
    });
  });
}

/**
 * A suspended member may be given one too (a stolen device's owner is suspended at once, then
 * recovers): recovery replaces their keys, and the suspension still holds until a reinstatement.
 */
export async function issueRecoveryCode(
  ctx: AppContext,
  caller: Caller,
  memberId: string,
): Promise<{ code: string; expiresAt: Date }> {
  return ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'clsm', action: 'member.invite' });
    const member = await trx
      .selectFrom('members')
      .select(['role', 'organisation', 'display_name'])
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', memberId)
      .executeTakeFirst();
    if (member === undefined) throw notFound('member');
    const code = newEnrollmentCode();
    const expiresAt = new Date(Date.now() + ENROLLMENT_CODE_TTL_MS);
    const id = randomUUID();
    await trx
      .insertInto('enrollment_codes')
      .values({
        clsm_id: caller.clsmId,
        id,
        code_hash: hashEnrollmentCode(code),
        role: member.role,
        organisation: member.organisation,
        display_name: member.display_name,
        created_by: caller.memberId,
        expires_at: expiresAt,
        purpose: 'recover',
        member_id: memberId,
      })
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'member.recovery_issued',
      outcome: 'success',
      subjectId: memberId,
      resourceType: 'invitation',
      resourceId: id,
    });
    return { code, expiresAt };
  });
}
