import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { randomUUID } from 'node:crypto';
import { ENROLLMENT_CODE_TTL_MS } from '../members/enrollment-codes.js';

// The person a situation is about, invited to their own space by a participant bound by secrecy
// (or the coordinator taking part), with them present (docs/adr/0030). As for a member, the
// inviter's device made the code and the server keeps only the hash of its redeem token. The
// invitation names the situation: the account joins that one and no other. Nothing identifying
// reaches the server: every person's card reads the same.

export const PERSON_CARD = { organisation: 'Personne concernée', displayName: 'La personne' } as const;

export async function invitePerson(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  code: { invitationId: string; codeHash: Buffer },
): Promise<{ id: string; memberId: string; expiresAt: Date }> {
  return withCase(ctx, caller, { caseId, action: 'person.invite' }, async (trx, scope) => {
    const taken = await trx
      .selectFrom('enrollment_codes')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('clsm_id', '=', caller.clsmId), eb('id', '=', code.invitationId)]),
          eb('code_hash', '=', code.codeHash),
        ]),
      )
      .executeTakeFirst();
    if (taken !== undefined) throw new AppError('CONFLICT', 'this invitation id is taken: choose another');
    const memberId = randomUUID();
    const expiresAt = new Date(scope.now.getTime() + ENROLLMENT_CODE_TTL_MS);
    await trx
      .insertInto('enrollment_codes')
      .values({
        clsm_id: caller.clsmId,
        id: code.invitationId,
        code_hash: code.codeHash,
        role: 'person',
        organisation: PERSON_CARD.organisation,
        display_name: PERSON_CARD.displayName,
        partner_category: null,
        created_by: caller.memberId,
        expires_at: expiresAt,
        member_id: memberId,
        case_id: caseId,
      })
      .execute();
    scope.audit({
      ...by(caller),
      type: 'member.invited',
      outcome: 'success',
      caseId,
      subjectId: memberId,
      resourceType: 'invitation',
      resourceId: code.invitationId,
    });
    return { id: code.invitationId, memberId, expiresAt };
  });
}

/** The situation a person's account was invited to, and who invited them; undefined for a member. */
export async function personInvitation(
  trx: Transaction<Database>,
  clsmId: string,
  memberId: string,
): Promise<{ caseId: string; invitedBy: string | null } | undefined> {
  const row = await trx
    .selectFrom('enrollment_codes')
    .select(['case_id', 'created_by'])
    .where('clsm_id', '=', clsmId)
    .where('member_id', '=', memberId)
    .where('case_id', 'is not', null)
    .executeTakeFirst();
  return row?.case_id == null ? undefined : { caseId: row.case_id, invitedBy: row.created_by };
}
