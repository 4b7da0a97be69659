import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Action } from '../kernel/actions.js';
import type { Compartment } from '../kernel/compartments.js';
import { seesAllCases, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by } from '../kernel/audit-events.js';
import { loadCaseState, type CaseState } from '../access/case-state.js';

/**
 * Loads a case for a caller, with the caller's key state of the compartment a request is about. An unknown id, a case of another CLSM and (for non-participants, unless
 * the request is `evenPurged`) a purged case all end the same way: "case not found", recorded as a refusal. A participant of a
 * purged case learns that it was destroyed (410).
 */
export async function findCase(
  trx: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  caseId: string,
  now: Date,
  { action, evenPurged, compartment }: { action: Action; evenPurged?: true; compartment?: Compartment },
): Promise<CaseState> {
  const keys = compartment === undefined ? undefined : { memberId: caller.memberId, compartment };
  const state = await loadCaseState(trx, caller.clsmId, caseId, now, keys);
  const refuse = (code: 'NOT_FOUND' | 'CASE_PURGED') =>
    new AuditedRefusal(
      code,
      code === 'NOT_FOUND' ? 'case not found' : 'this case was destroyed at the end of its retention period',
      {
        ...by(caller),
        type: 'access.denied',
        outcome: 'denied',
        reason: code,
        action,
        resourceType: 'case',
        resourceId: caseId,
        caseId,
      },
    );
  if (state === undefined) throw refuse('NOT_FOUND');
  if (state.row.purged_at !== null && evenPurged !== true) {
    const wasParticipant = await trx
      .selectFrom('case_participants')
      .select('member_id')
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('member_id', '=', caller.memberId)
      .executeTakeFirst();
    throw refuse(
      wasParticipant === undefined && !seesAllCases(policies, caller) ? 'NOT_FOUND' : 'CASE_PURGED',
    );
  }
  return state;
}
