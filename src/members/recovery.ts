import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { PLATFORM_CLSM, type AuditActor, type AuditEventType } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import type { BackupKdf, WrappedBackup } from '../crypto/key-backup.js';
import { wrappedBackupSchema } from '../crypto/wrapped-secret-schema.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { keyContinuityMessage, memberKeysMessage } from '../crypto/messages.js';
import { currentKeysOf } from '../keys/current-keys.js';
import { hashEnrollmentCode } from './enrollment-codes.js';

// Recovering on a new device, in three requests that each present the coordinator's one-time code:
//  1. the code alone: whose backup it unlocks and the Argon2id parameters and salt, no ciphertext;
//  2. the code and the authentication key derived from the passphrase: the wrapped backup;
//  3. the code, the authentication key, new device keys (self-signed, and signed by the old signing
//     key opened from the backup) and a backup of them: the keys replace the old ones.
// The server compares SHA-256 of the authentication key with the verifier stored with the backup,
// in constant time. A wrong proof counts against the code, and spends it at MAX_FAILED_PROOFS: a
// coordinator holding the code can neither download the blob nor guess the passphrase offline.
// The member's status is not looked at: a suspended member recovers, and stays suspended.

export const MAX_FAILED_PROOFS = 5;

interface RecoveryCode {
  clsm_id: string;
  id: string;
  member_id: string;
  role: Database['enrollment_codes']['role'];
  key_version: number;
  blob: unknown;
  verifier: Buffer;
}

export interface RecoveryOpened {
  clsmId: string;
  memberId: string;
  role: RecoveryCode['role'];
  keyVersion: number;
  kdf: BackupKdf;
}

/** Step 1: what the code unlocks and how to derive its keys; the code stays usable. */
export async function openRecovery(
  ctx: AppContext,
  code: string,
  requestId: string,
): Promise<RecoveryOpened> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await usableCode(trx, code, 'member.recovery_opened', requestId);
    const blob = wrappedBackupSchema.parse(row.blob);
    await appendAudit(trx, {
      ...actorOf(row, requestId),
      type: 'member.recovery_opened',
      outcome: 'success',
      subjectId: row.member_id,
      resourceType: 'invitation',
      resourceId: row.id,
      keyVersion: row.key_version,
    });
    return {
      clsmId: row.clsm_id,
      memberId: row.member_id,
      role: row.role,
      keyVersion: row.key_version,
      kdf: { opslimit: blob.opslimit, memlimit: blob.memlimit, salt: blob.salt },
    };
  });
}

export interface Recovered {
  clsmId: string;
  memberId: string;
  keyVersion: number;
  blob: WrappedBackup;
}

/** Step 2: the wrapped backup, to the holder of the code who proves the passphrase. */
export async function releaseBackup(
  ctx: AppContext,
  code: string,
  proof: Buffer,
  requestId: string,
): Promise<Recovered> {
  return withProof(ctx, code, proof, 'member.key_recovered', requestId, async (trx, row) => {
    await appendAudit(trx, {
      ...actorOf(row, requestId),
      type: 'member.key_recovered',
      outcome: 'success',
      subjectId: row.member_id,
      resourceType: 'invitation',
      resourceId: row.id,
      keyVersion: row.key_version,
    });
    return {
      clsmId: row.clsm_id,
      memberId: row.member_id,
      keyVersion: row.key_version,
      blob: wrappedBackupSchema.parse(row.blob),
    };
  });
}

export interface NewDeviceKeys {
  version: number;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
  selfSignature: Buffer;
  /** By the signing key being replaced, over keyContinuityMessage. */
  continuitySignature: Buffer;
  backup: { blob: WrappedBackup; verifier: Buffer };
}

/**
 * Step 3: the new device keys replace the old ones. Every session of the member ends (refused on its
 * next request), identity-provider tokens issued before are refused, login takes the new key only,
 * and the grants sealed to the old keys are deleted: colleagues see them pending for the new keys
 * (docs/crypto-protocol.md, "Recovery"). The backup of the new keys replaces the old one; the code
 * is spent.
 */
export async function replaceKeys(
  ctx: AppContext,
  code: string,
  proof: Buffer,
  keys: NewDeviceKeys,
  requestId: string,
): Promise<{ keyVersion: number }> {
  return withProof(ctx, code, proof, 'member.key_registered', requestId, async (trx, row) => {
    const owner = { clsmId: row.clsm_id, memberId: row.member_id };
    const actor = actorOf(row, requestId);
    const current = await currentKeysOf(trx, owner);
    if (current?.version !== row.key_version) {
      throw new AppError('CONFLICT', 'the backup is not of the current device keys: nothing to replace');
    }
    const refuse = (reason: string, detail: string) =>
      new AuditedRefusal('BAD_SIGNATURE', detail, {
        ...actor,
        type: 'member.key_registered',
        outcome: 'denied',
        reason,
        subjectId: row.member_id,
        keyVersion: keys.version,
      });
    if (keys.version !== current.version + 1) {
      throw new AppError('KEY_VERSION_MISMATCH', `the new device keys are version ${current.version + 1}`);
    }
    if (
      !verifyEd25519(
        keys.signPublicKey,
        memberKeysMessage(owner, keys.signPublicKey, keys.boxPublicKey, keys.version),
        keys.selfSignature,
      )
    ) {
      throw refuse('BAD_SIGNATURE', 'the new keys are not self-signed for this CLSM, member and version');
    }
    const continuity = keyContinuityMessage(
      owner,
      current.version,
      keys.signPublicKey,
      keys.boxPublicKey,
      keys.version,
    );
    if (!verifyEd25519(current.signPublicKey, continuity, keys.continuitySignature)) {
      throw refuse('BAD_CONTINUITY', 'the new keys are not signed by the signing key they replace');
    }
    const now = new Date();
    await trx
      .insertInto('member_keys')
      .values({
        clsm_id: owner.clsmId,
        member_id: owner.memberId,
        version: keys.version,
        sign_public_key: keys.signPublicKey,
        box_public_key: keys.boxPublicKey,
        self_signature: keys.selfSignature,
      })
      .execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('clsm_id', '=', owner.clsmId)
      .where('member_id', '=', owner.memberId)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .updateTable('members')
      .set({ keys_replaced_at: now })
      .where('clsm_id', '=', owner.clsmId)
      .where('id', '=', owner.memberId)
      .execute();
    await voidGrants(trx, actor, owner.memberId);
    await trx
      .updateTable('member_key_backups')
      .set({
        key_version: keys.version,
        blob: JSON.stringify(keys.backup.blob),
        verifier: keys.backup.verifier,
        updated_at: now,
      })
      .where('clsm_id', '=', owner.clsmId)
      .where('member_id', '=', owner.memberId)
      .execute();
    await trx
      .updateTable('enrollment_codes')
      .set({ used_at: now, used_by: owner.memberId })
      .where('clsm_id', '=', owner.clsmId)
      .where('id', '=', row.id)
      .execute();
    const registered = {
      ...actor,
      outcome: 'success',
      subjectId: owner.memberId,
      keyVersion: keys.version,
    } as const;
    await appendAudit(trx, { ...registered, type: 'member.key_registered' });
    await appendAudit(trx, { ...registered, type: 'member.key_backup_stored' });
    return { keyVersion: keys.version };
  });
}

/**
 * The grants sealed to the replaced keys open with keys that may be in a thief's hands, and not
 * with the new ones: they go, compartment by compartment, audited. The compartments are not marked
 * for rotation here: a stolen device's owner is suspended first, and suspension does that.
 */
async function voidGrants(trx: Transaction<Database>, actor: AuditActor, memberId: string): Promise<void> {
  const deleted = await trx
    .deleteFrom('key_grants')
    .where('clsm_id', '=', actor.clsmId)
    .where('grantee_id', '=', memberId)
    .returning(['case_id', 'compartment'])
    .execute();
  const seen = new Set<string>();
  for (const { case_id, compartment } of deleted) {
    if (seen.has(`${case_id}/${compartment}`)) continue;
    seen.add(`${case_id}/${compartment}`);
    await appendAudit(trx, {
      ...actor,
      type: 'grant.revoked',
      outcome: 'success',
      reason: 'KEYS_REPLACED',
      caseId: case_id,
      compartment,
      subjectId: memberId,
    });
  }
}

/** The person presenting a recovery code acts as the member it names (who else, the server cannot know). */
function actorOf(row: Pick<RecoveryCode, 'clsm_id' | 'member_id' | 'role'>, requestId: string): AuditActor {
  return { clsmId: row.clsm_id, actorId: row.member_id, actorRole: row.role, requestId };
}

/**
 * Runs `work` once the code is usable and the proof matches its backup's verifier. A wrong proof is
 * counted in a statement of its own (the refused transaction rolls back), and spends the code at
 * the limit.
 */
async function withProof<T>(
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
async function usableCode(
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
