import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import type { Compartment } from '../kernel/compartments.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { withCase, type CaseScope } from '../unit-of-work/case-unit.js';
import { insertParticipant } from './participation-row.js';
import type { ParticipantRequestsTable } from './schema.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';

// Additions that wait for a second person (policies/cases.cedar, "case/participant-approve"): until
// a participant bound by secrecy approves, the member is no participant, the policy counts them out
// and no key is owed to them. The one who asked and the one it would add never approve
// (guard/participant-four-eyes, and a CHECK in the database).

export interface ParticipantRequestView {
  id: string;
  memberId: string;
  compartments: Compartment[];
  requestedBy: string;
  requestedAt: Date;
}

/** Records the request; called by addParticipant inside its unit, after the gate allowed the addition. */
export async function requestAddition(
  trx: Transaction<Database>,
  scope: CaseScope<unknown>,
  caseId: string,
  memberId: string,
  compartments: readonly Compartment[],
): Promise<string> {
  const { caller, now } = scope;
  const pending = await trx
    .selectFrom('participant_requests')
    .select('id')
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('member_id', '=', memberId)
    .where('decided_at', 'is', null)
    .executeTakeFirst();
  if (pending !== undefined)
    throw new AppError('CONFLICT', 'an addition of this member already waits for a second participant');
  const id = randomUUID();
  await trx
    .insertInto('participant_requests')
    .values({
      clsm_id: caller.clsmId,
      id,
      case_id: caseId,
      member_id: memberId,
      compartments: [...compartments],
      requested_by: caller.memberId,
      requested_at: now,
      decided_by: null,
      decided_at: null,
      outcome: null,
    })
    .execute();
  scope.audit({
    ...by(caller),
    type: 'participant.requested',
    outcome: 'success',
    caseId,
    subjectId: memberId,
    resourceType: 'participant_request',
    resourceId: id,
  });
  return id;
}

async function requireRequest(
  trx: Transaction<Database>,
  caller: Caller,
  caseId: string,
  requestId: string,
): Promise<ParticipantRequestsTable> {
  const row = await trx
    .selectFrom('participant_requests')
    .selectAll()
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw notFound('participant request');
  return row;
}

/** The request, and whether the caller asked for it or is the member it would add. */
const findRequest =
  (caller: Caller, caseId: string, requestId: string) => async (trx: Transaction<Database>) => {
    const row = await requireRequest(trx, caller, caseId, requestId);
    const isRequester = row.requested_by === caller.memberId || row.member_id === caller.memberId;
    return { found: row, relation: { isRequester } };
  };

/** The second person approves: the member takes part from now on (their keys follow, client side). */
export async function approveParticipantRequest(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  requestId: string,
  log?: LogSealWire,
): Promise<void> {
  const find = findRequest(caller, caseId, requestId);
  await withCase(ctx, caller, { caseId, action: 'participant.approve', find }, async (trx, scope) => {
    const { now, state, found: row } = scope;
    if (row.decided_at !== null) throw new AppError('CONFLICT', 'this request was already decided');
    if (state.participants.some((p) => p.id === row.member_id))
      throw new AppError('CONFLICT', 'this member already takes part in the case');
    const member = await trx
      .selectFrom('members')
      .select('status')
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', row.member_id)
      .executeTakeFirst();
    if (member?.status !== 'active') throw new AppError('CONFLICT', 'this member is no longer active');
    await trx
      .updateTable('participant_requests')
      .set({ decided_by: caller.memberId, decided_at: now, outcome: 'approved' })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', requestId)
      .execute();
    await insertParticipant(
      trx,
      caller.clsmId,
      caseId,
      row.member_id,
      row.requested_by,
      now,
      row.compartments,
    );
    const added = change('added', {
      subjectId: row.member_id,
      compartments: row.compartments,
      requestedBy: row.requested_by,
    });
    await appendCaseLog(trx, { caller, caseId, action: 'participant.approve' }, added, log);
    const event = { ...by(caller), outcome: 'success' as const, caseId, subjectId: row.member_id };
    scope.audit({
      ...event,
      type: 'participant.approved',
      resourceType: 'participant_request',
      resourceId: requestId,
    });
    scope.audit({ ...event, type: 'participant.added', resourceType: 'case', resourceId: caseId });
  });
}

/** Withdrawn by the one who asked (or the member it would add), or turned down by another. */
export async function refuseParticipantRequest(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  requestId: string,
): Promise<void> {
  const find = findRequest(caller, caseId, requestId);
  await withCase(ctx, caller, { caseId, action: 'participant.refuse', find }, async (trx, scope) => {
    const { now, found: row } = scope;
    if (row.decided_at !== null) throw new AppError('CONFLICT', 'this request was already decided');
    const withdrawn = row.requested_by === caller.memberId || row.member_id === caller.memberId;
    await trx
      .updateTable('participant_requests')
      .set({ decided_by: caller.memberId, decided_at: now, outcome: withdrawn ? 'cancelled' : 'refused' })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', requestId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'participant.refused',
      outcome: 'success',
      ...(withdrawn ? { reason: 'CANCELLED' } : {}),
      caseId,
      subjectId: row.member_id,
      resourceType: 'participant_request',
      resourceId: requestId,
    });
  });
}

/** The additions of a situation that wait for a second person, oldest first (whoever sees the situation). */
export async function listParticipantRequests(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
): Promise<ParticipantRequestView[]> {
  return withCase(ctx, caller, { caseId, action: 'case.read' }, async (trx, scope) => {
    const rows = await trx
      .selectFrom('participant_requests')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('decided_at', 'is', null)
      .orderBy('requested_at')
      .orderBy('id')
      .execute();
    scope.audit({
      ...by(caller),
      type: 'case.read',
      outcome: 'success',
      caseId,
      resourceType: 'participant_request',
    });
    return rows.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      compartments: r.compartments,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
    }));
  });
}
