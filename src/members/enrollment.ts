import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by, PLATFORM_CLSM } from '../kernel/audit-events.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { memberKeysMessage } from '../crypto/messages.js';
import { AppError } from '../kernel/errors.js';
import type { Role } from '../kernel/roles.js';
import type { PartnerCategory } from '../stats/vocabulary/categories.js';
import { ENROLLMENT_CODE_TTL_MS, hashEnrollmentCode, newEnrollmentCode } from './enrollment-codes.js';

export interface Invitation {
  role: Role;
  organisation: string;
  displayName: string;
  partnerCategory?: PartnerCategory | undefined;
}

/**
 * A coordinator invites a member. Their device made the code (docs/crypto-protocol.md, "Invitation
 * codes"): the server keeps the id it chose and the SHA-256 of the redeem token the newcomer will
 * send, and never learns the code's secret.
 */
export async function inviteMember(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  invitation: Invitation & { invitationId: string; codeHash: Buffer },
): Promise<{ id: string; memberId: string; expiresAt: Date }> {
  return db.transaction().execute(async (trx) => {
    authorize(policies, caller, { kind: 'clsm', action: 'member.invite' });
    if (invitation.role === 'person')
      throw new AppError(
        'VALIDATION_FAILED',
        'the person a situation is about is invited from that situation, by one of its participants',
      );
    const taken = await trx
      .selectFrom('enrollment_codes')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('clsm_id', '=', caller.clsmId), eb('id', '=', invitation.invitationId)]),
          eb('code_hash', '=', invitation.codeHash),
        ]),
      )
      .executeTakeFirst();
    if (taken !== undefined) throw new AppError('CONFLICT', 'this invitation id is taken: choose another');
    const memberId = randomUUID();
    const expiresAt = new Date(Date.now() + ENROLLMENT_CODE_TTL_MS);
    await trx
      .insertInto('enrollment_codes')
      .values({
        clsm_id: caller.clsmId,
        id: invitation.invitationId,
        code_hash: invitation.codeHash,
        role: invitation.role,
        organisation: invitation.organisation,
        display_name: invitation.displayName,
        partner_category: invitation.partnerCategory ?? null,
        created_by: caller.memberId,
        expires_at: expiresAt,
        member_id: memberId,
      })
      .execute();
    const issued = { id: invitation.invitationId, memberId, expiresAt };
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
      // The id the member will have: their device signs its keys for it before enrolling.
      member_id: randomUUID(),
    })
    .execute();
  return { id, code, expiresAt };
}

export interface Enrollment {
  code: string;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
  /** Over clsm.member-keys.v2: the code's CLSM and member id (from openInvitation), both keys, version 1. */
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

export interface OpenedInvitation extends EnrolledMember {
  expiresAt: Date;
}

const codeInvalid = (
  clsmId: string | undefined,
  type: 'member.invitation_opened' | 'member.enrolled',
  requestId: string,
) =>
  new AuditedRefusal('ENROLLMENT_CODE_INVALID', 'this enrollment code is unknown, used or expired', {
    clsmId: clsmId ?? PLATFORM_CLSM,
    type,
    outcome: 'denied',
    reason: 'ENROLLMENT_CODE_INVALID',
    requestId,
  });

/**
 * What a code invites to, before anything is registered: the CLSM and member id the new device
 * signs its keys for, and the role, organisation and name the newcomer can check. The code stays
 * unused.
 */
export async function openInvitation(
  db: Kysely<Database>,
  code: string,
  requestId: string,
): Promise<OpenedInvitation> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('enrollment_codes')
      .selectAll()
      .where('code_hash', '=', hashEnrollmentCode(code))
      .where('purpose', '=', 'enroll')
      .executeTakeFirst();
    if (row === undefined || row.used_at !== null || row.expires_at <= new Date()) {
      throw codeInvalid(row?.clsm_id, 'member.invitation_opened', requestId);
    }
    await appendAudit(trx, {
      clsmId: row.clsm_id,
      type: 'member.invitation_opened',
      outcome: 'success',
      resourceType: 'invitation',
      resourceId: row.id,
      subjectId: row.member_id,
      requestId,
    });
    return {
      clsmId: row.clsm_id,
      memberId: row.member_id,
      role: row.role,
      organisation: row.organisation,
      displayName: row.display_name,
      expiresAt: row.expires_at,
    };
  });
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
      throw codeInvalid(code?.clsm_id, 'member.enrolled', input.requestId);
    }
    const memberId = code.member_id;
    const owner = { clsmId: code.clsm_id, memberId };
    // libsodium's rules (src/crypto/ed25519.ts): a small-order or non-canonical key never gets in.
    if (
      !verifyEd25519(
        input.signPublicKey,
        memberKeysMessage(owner, input.signPublicKey, input.boxPublicKey, 1),
        input.keySignature,
      )
    ) {
      throw new AuditedRefusal(
        'BAD_SIGNATURE',
        'the key self-signature does not verify: sign both keys for the CLSM and member id the invitation names',
        {
          clsmId: code.clsm_id,
          type: 'member.enrolled',
          outcome: 'denied',
          reason: 'BAD_SIGNATURE',
          resourceType: 'invitation',
          resourceId: code.id,
          subjectId: memberId,
          requestId: input.requestId,
        },
      );
    }
    if (input.oidcSubject !== undefined) {
      const bound = await trx
        .selectFrom('members')
        .select('id')
        .where('oidc_subject', '=', input.oidcSubject)
        .executeTakeFirst();
      if (bound !== undefined) throw new AppError('CONFLICT', 'this identity is already enrolled');
    }
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
