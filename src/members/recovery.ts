import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import type { AuditActor } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import type { BackupKdf, WrappedBackup } from '../crypto/key-backup.js';
import { wrappedBackupSchema } from '../crypto/wrapped-secret-schema.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { keyContinuityMessage, memberKeysMessage } from '../crypto/messages.js';
import { currentKeysOf } from '../keys/current-keys.js';
import { actorOf, usableCode, withProof, type RecoveryCode } from './recovery-code.js';

// Recovering on a new device, in three requests that each present the coordinator's one-time code:
//  1. the code alone: whose backup it unlocks and the Argon2id parameters and salt, no ciphertext;
//  2. the code and the authentication key derived from the passphrase: the wrapped backup;
//  3. the code, the authentication key, new device keys (self-signed, and signed by the old signing
//     key opened from the backup) and a backup of them: the keys replace the old ones.
// The server compares SHA-256 of the authentication key with the verifier stored with the backup,
// in constant time (recovery-code.ts). A wrong proof counts against the code, and spends it at
// MAX_FAILED_PROOFS: a coordinator holding the code can neither download the blob nor guess the passphrase offline.
// The member's status is not looked at: a suspended member recovers, and stays suspended.

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
