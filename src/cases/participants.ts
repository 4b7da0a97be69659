import type { AppContext } from '../context.js';
import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { revokeGrants } from '../keys/revocation.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/** Adds a member to a case. Keys follow separately: a holder of each key grants it (client side). */
export async function addParticipant(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  memberId: string,
  compartments: readonly Compartment[] = COMPARTMENTS,
): Promise<void> {
  // An unknown member is judged as any case role would be, so that the answer (then "member not
  // found") only comes to someone allowed to add participants at all.
  const find = async (trx: Transaction<Database>) => {
    const member = await trx
      .selectFrom('members')
      .select(['role', 'status'])
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', memberId)
      .executeTakeFirst();
    return { found: member, relation: { targetRole: member?.role ?? 'partner' } };
  };
  await withCase(ctx, caller, { caseId, action: 'participant.add', find }, async (trx, scope) => {
    const { now, state, found: member } = scope;
    if (member?.status !== 'active') throw notFound('member');
    const existing = state.participants.find((p) => p.id === memberId);
    if (existing !== undefined) throw new AppError('CONFLICT', 'this member already takes part in the case');
    await trx
      .insertInto('case_participants')
      .values({
        clsm_id: caller.clsmId,
        case_id: caseId,
        member_id: memberId,
        added_by: caller.memberId,
        added_at: now,
        removed_at: null,
        compartments: [...compartments],
      })
      .onConflict((oc) =>
        oc.columns(['clsm_id', 'case_id', 'member_id']).doUpdateSet({
          added_by: caller.memberId,
          added_at: now,
          removed_at: null,
          compartments: [...compartments],
        }),
      )
      .execute();
    scope.audit({
      ...by(caller),
      type: 'participant.added',
      outcome: 'success',
      caseId,
      subjectId: memberId,
      resourceType: 'case',
      resourceId: caseId,
    });
  });
}

/** Removes a member: their keys are deleted at once and the compartments they held must be rotated. */
export async function removeParticipant(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  memberId: string,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'participant.remove' }, async (trx, scope) => {
    const removed = await trx
      .updateTable('case_participants')
      .set({ removed_at: ctx.clock.now() })
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('member_id', '=', memberId)
      .where('removed_at', 'is', null)
      .returning('member_id')
      .executeTakeFirst();
    if (removed === undefined) throw notFound('participant');
    await revokeGrants(trx, scope, by(caller), caseId, memberId, undefined);
    scope.audit({
      ...by(caller),
      type: 'participant.removed',
      outcome: 'success',
      caseId,
      subjectId: memberId,
      resourceType: 'case',
      resourceId: caseId,
    });
  });
}

/** Narrows a participant's need-to-know: one compartment less, its keys gone, a rotation due. */
export async function unassignCompartment(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  memberId: string,
  compartment: Compartment,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'participant.remove' }, async (trx, scope) => {
    const { state } = scope;
    const participant = state.participants.find((p) => p.id === memberId);
    if (participant === undefined) throw notFound('participant');
    await trx
      .updateTable('case_participants')
      .set({ compartments: participant.compartments.filter((c) => c !== compartment) })
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('member_id', '=', memberId)
      .execute();
    await revokeGrants(trx, scope, by(caller), caseId, memberId, [compartment]);
    // Recorded even when the member held no key yet: their need-to-know changed all the same.
    scope.audit({
      ...by(caller),
      type: 'participant.narrowed',
      outcome: 'success',
      caseId,
      compartment,
      subjectId: memberId,
      resourceType: 'case',
      resourceId: caseId,
    });
  });
}
