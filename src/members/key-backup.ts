import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by, PLATFORM_CLSM } from '../kernel/audit-events.js';
import type { WrappedSecret } from '../crypto/key-backup.js';
import { AppError, notFound } from '../kernel/errors.js';
import { currentKeysOf } from '../keys/current-keys.js';
import { ENROLLMENT_CODE_TTL_MS, hashEnrollmentCode, newEnrollmentCode } from './enrollment-codes.js';

// The server keeps a backup of a member's secret keys only as the opaque blob the client wrapped
// under its passphrase. Getting it back on a new device takes a one-time recovery code from the
// coordinator (who checks who is asking, as for an enrollment), then the passphrase.

export async function storeBackup(
  ctx: AppContext,
  caller: Caller,
  keyVersion: number,
  blob: WrappedSecret,
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
      })
      .onConflict((oc) =>
        oc
          .columns(['clsm_id', 'member_id'])
          .doUpdateSet({ key_version: keyVersion, blob: JSON.stringify(blob), updated_at: new Date() }),
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
      .where('status', '=', 'active')
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

export interface Recovered {
  clsmId: string;
  memberId: string;
  keyVersion: number;
  blob: unknown;
}

/** Redeems a recovery code once: the wrapped backup, useless without the member's passphrase. */
export async function recoverBackup(ctx: AppContext, code: string, requestId: string): Promise<Recovered> {
  return ctx.db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await trx
      .selectFrom('enrollment_codes as c')
      .innerJoin('member_key_backups as b', (j) =>
        j.onRef('b.clsm_id', '=', 'c.clsm_id').onRef('b.member_id', '=', 'c.member_id'),
      )
      .select(['c.clsm_id', 'c.id', 'c.member_id', 'c.used_at', 'c.expires_at', 'b.key_version', 'b.blob'])
      .where('c.code_hash', '=', hashEnrollmentCode(code))
      .where('c.purpose', '=', 'recover')
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined || row.used_at !== null || row.expires_at <= now) {
      throw new AuditedRefusal(
        'ENROLLMENT_CODE_INVALID',
        'this recovery code is unknown, used or expired, or no backup was stored',
        {
          clsmId: row?.clsm_id ?? PLATFORM_CLSM,
          type: 'member.key_recovered',
          outcome: 'denied',
          reason: 'ENROLLMENT_CODE_INVALID',
          requestId,
        },
      );
    }
    await trx
      .updateTable('enrollment_codes')
      .set({ used_at: now, used_by: row.member_id })
      .where('clsm_id', '=', row.clsm_id)
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, {
      clsmId: row.clsm_id,
      type: 'member.key_recovered',
      outcome: 'success',
      actorId: row.member_id,
      subjectId: row.member_id,
      requestId,
      keyVersion: row.key_version,
    });
    return { clsmId: row.clsm_id, memberId: row.member_id, keyVersion: row.key_version, blob: row.blob };
  });
}
