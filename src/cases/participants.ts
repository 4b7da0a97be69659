import type { AppContext } from '../context.js';
import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { withCase, type CaseScope } from '../unit-of-work/case-unit.js';
import { isBoundBySecrecy, type Role } from '../kernel/roles.js';
import { requestAddition } from './participant-requests.js';
import { insertParticipant } from './participation-row.js';
import { revokeGrants } from '../keys/revocation.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';
import { personInvitation } from './person-invitation.js';

/** What became of an addition: effective now, or waiting for a second participant bound by secrecy. */
export type Addition = { status: 'added' } | { status: 'pending'; requestId: string };

/**
 * Adds a member to a case. Keys follow separately: a holder of each key grants it (client side).
 * An addition that would open the situation to the one who makes it waits for a second person
 * (`needsSecondPerson`): it is recorded as a request, and opens nothing until approved.
 */
export async function addParticipant(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  memberId: string,
  asked?: readonly Compartment[],
  log?: LogSealWire,
): Promise<Addition> {
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
  return withCase(ctx, caller, { caseId, action: 'participant.add', find }, async (trx, scope) => {
    const { now, state, found: member } = scope;
    if (member?.status !== 'active') throw notFound('member');
    const existing = state.participants.find((p) => p.id === memberId);
    if (existing !== undefined) throw new AppError('CONFLICT', 'this member already takes part in the case');
    const compartments =
      member.role === 'person'
        ? await personCompartments(trx, caller.clsmId, caseId, memberId, asked)
        : (asked ?? COMPARTMENTS);
    if (needsSecondPerson(scope, memberId, member.role)) {
      const requestId = await requestAddition(trx, scope, caseId, memberId, compartments);
      return { status: 'pending', requestId };
    }
    await insertParticipant(trx, caller.clsmId, caseId, memberId, caller.memberId, now, compartments);
    const added = change('added', { subjectId: memberId, compartments });
    await appendCaseLog(trx, { caller, caseId, action: 'participant.add' }, added, log);
    scope.audit({
      ...by(caller),
      type: 'participant.added',
      outcome: 'success',
      caseId,
      subjectId: memberId,
      resourceType: 'case',
      resourceId: caseId,
    });
    return { status: 'added' };
  });
}

/**
 * The person a situation is about joins the situation they were invited to, and holds their own
 * space there: nothing else (policies/guards.cedar, guard/person-ceiling).
 */
async function personCompartments(
  trx: Transaction<Database>,
  clsmId: string,
  caseId: string,
  memberId: string,
  asked: readonly Compartment[] | undefined,
): Promise<readonly Compartment[]> {
  const invitation = await personInvitation(trx, clsmId, memberId);
  if (invitation?.caseId !== caseId)
    throw new AppError(
      'CONFLICT',
      'this person was invited to another situation: their account joins that one only',
    );
  if (asked !== undefined && (asked.length !== 1 || asked[0] !== 'person'))
    throw new AppError('VALIDATION_FAILED', "the person holds their own space ('person') and nothing else");
  return ['person'];
}

/**
 * Whether an addition needs a second pair of eyes (policies/cases.cedar, "case/participant-approve"):
 * adding oneself; or, for a caller who takes no part in the situation (the coordinator, who may add
 * to any), adding a member with a content role while a participant bound by secrecy is there to
 * vouch for them. A situation with none yet (just referred by a partner or the coordinator) takes its
 * first professionals at once: nobody could approve them.
 */
function needsSecondPerson(scope: CaseScope<unknown>, memberId: string, role: Role): boolean {
  if (memberId === scope.caller.memberId) return true;
  if (scope.facts.participant) return false;
  return isBoundBySecrecy(role) && scope.state.participants.some((p) => p.active && isBoundBySecrecy(p.role));
}

/** Removes a member: their keys are deleted at once and the compartments they held must be rotated. */
export async function removeParticipant(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  memberId: string,
  log?: LogSealWire,
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
    const action = 'participant.remove';
    await appendCaseLog(trx, { caller, caseId, action }, change('removed', { subjectId: memberId }), log);
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
  log?: LogSealWire,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'participant.remove' }, async (trx, scope) => {
    const { state } = scope;
    const participant = state.participants.find((p) => p.id === memberId);
    if (participant === undefined) throw notFound('participant');
    if (!participant.compartments.includes(compartment))
      throw new AppError('CONFLICT', 'this participant does not hold this compartment');
    const narrowed = change('narrowed', { subjectId: memberId, compartments: [compartment] });
    await appendCaseLog(trx, { caller, caseId, action: 'participant.remove' }, narrowed, log);
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
