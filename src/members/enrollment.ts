import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit, AuditedRefusal } from '../audit/append.js';
import { by, PLATFORM_TENANT } from '../audit/events.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { memberKeysMessage } from '../crypto/messages.js';
import { AppError } from '../http/errors.js';
import type { Role } from './roles.js';
import type { PartnerCategory } from '../stats/categories.js';
import { ENROLLMENT_CODE_TTL_MS, hashEnrollmentCode, newEnrollmentCode } from './enrollment-codes.js';

export interface Invitation {
  role: Role;
  organisation: string;
  displayName: string;
  partnerCategory?: PartnerCategory | undefined;
}

/** A coordinator invites a member: the code is returned once and only its hash is kept. */
export async function inviteMember(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  invitation: Invitation,
): Promise<{ code: string; expiresAt: Date }> {
  return db.transaction().execute(async (trx) => {
    authorize(policies, caller, { kind: 'tenant', action: 'member.invite' });
    const issued = await issueCode(trx, caller.clsmId, invitation, caller.memberId);
    await appendAudit(trx, {
      ...by(caller),
      type: 'member.invited',
      outcome: 'success',
      resourceType: 'invitation',
      resourceId: issued.id,
    });
    return issued;
  });
}

export async function issueCode(
  trx: Transaction<Database>,
  clsmId: string,
  invitation: Invitation,
  createdBy: string | null,
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const code = newEnrollmentCode();
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + ENROLLMENT_CODE_TTL_MS);
  await trx
    .insertInto('enrollment_codes')
    .values({
      clsm_id: clsmId,
      id,
      code_hash: hashEnrollmentCode(code),
      role: invitation.role,
      organisation: invitation.organisation,
      display_name: invitation.displayName,
      partner_category: invitation.partnerCategory ?? null,
      created_by: createdBy,
      expires_at: expiresAt,
    })
    .execute();
  return { id, code, expiresAt };
}

export interface Enrollment {
  code: string;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
  keySignature: Buffer;
  /** OIDC mode: the identity-provider subject this member will log in as. */
  oidcSubject?: string;
  requestId: string;
}

export interface EnrolledMember {
  clsmId: string;
  memberId: string;
  role: Role;
  organisation: string;
  displayName: string;
}

/** Redeems a code: creates the member with its device keys, once. */
export async function enroll(db: Kysely<Database>, input: Enrollment): Promise<EnrolledMember> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const code = await trx
      .selectFrom('enrollment_codes')
      .selectAll()
      .where('code_hash', '=', hashEnrollmentCode(input.code))
      .where('purpose', '=', 'enroll')
      .forUpdate()
      .executeTakeFirst();
    if (code === undefined || code.used_at !== null || code.expires_at <= now) {
      throw new AuditedRefusal(
        'ENROLLMENT_CODE_INVALID',
        'this enrollment code is unknown, used or expired',
        {
          clsmId: code?.clsm_id ?? PLATFORM_TENANT,
          type: 'member.enrolled',
          outcome: 'denied',
          reason: 'ENROLLMENT_CODE_INVALID',
          requestId: input.requestId,
        },
      );
    }
    if (
      !verifyEd25519(
        input.signPublicKey,
        memberKeysMessage(input.signPublicKey, input.boxPublicKey, 1),
        input.keySignature,
      )
    ) {
      throw new AppError('BAD_SIGNATURE', 'the key self-signature does not verify');
    }
    if (input.oidcSubject !== undefined) {
      const bound = await trx
        .selectFrom('members')
        .select('id')
        .where('oidc_subject', '=', input.oidcSubject)
        .executeTakeFirst();
      if (bound !== undefined) throw new AppError('CONFLICT', 'this identity is already enrolled');
    }
    const memberId = randomUUID();
    await trx
      .insertInto('members')
      .values({
        clsm_id: code.clsm_id,
        id: memberId,
        role: code.role,
        organisation: code.organisation,
        display_name: code.display_name,
        oidc_subject: input.oidcSubject ?? null,
        suspended_at: null,
        partner_category: code.partner_category,
      })
      .execute();
    await trx
      .insertInto('member_keys')
      .values({
        clsm_id: code.clsm_id,
        member_id: memberId,
        version: 1,
        sign_public_key: input.signPublicKey,
        box_public_key: input.boxPublicKey,
        self_signature: input.keySignature,
      })
      .execute();
    await trx
      .updateTable('enrollment_codes')
      .set({ used_at: now, used_by: memberId })
      .where('clsm_id', '=', code.clsm_id)
      .where('id', '=', code.id)
      .execute();
    const actor = {
      clsmId: code.clsm_id,
      actorId: memberId,
      actorRole: code.role,
      requestId: input.requestId,
    };
    await appendAudit(trx, {
      ...actor,
      type: 'member.enrolled',
      outcome: 'success',
      resourceType: 'invitation',
      resourceId: code.id,
    });
    await appendAudit(trx, {
      ...actor,
      type: 'member.key_registered',
      outcome: 'success',
      subjectId: memberId,
      keyVersion: 1,
    });
    return {
      clsmId: code.clsm_id,
      memberId,
      role: code.role,
      organisation: code.organisation,
      displayName: code.display_name,
    };
  });
}
