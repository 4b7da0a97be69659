import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { withSitting } from '../unit-of-work/sitting-unit.js';
import { recordDecision } from '../stats/recorder/case-stages.js';
import type { Decision } from '../stats/vocabulary/categories.js';
import { openItem, openItemRequest } from './sittings.js';
import type { ActionStatus, Adhesion } from './schema.js';

// What a sitting decides about a situation: structured decisions (a category, never free text, with
// the person's adhesion) and follow-up actions (who, by when; the "what" is an encrypted entry).

export async function recordDecisionOf(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  itemId: string,
  category: Decision,
  adhesion: Adhesion,
): Promise<string> {
  return withSitting(ctx, caller, openItemRequest(sittingId), async (trx, scope) => {
    const caseId = await openItem(trx, scope, itemId, FROZEN_DECISIONS);
    const { now } = await scope.openCase({ caseId, action: 'decision.record' });
    const id = randomUUID();
    const decidedAt = scope.sitting.held_at ?? now;
    await trx
      .insertInto('decisions')
      .values({
        clsm_id: caller.clsmId,
        id,
        case_id: caseId,
        agenda_item_id: itemId,
        category,
        adhesion,
        decided_at: decidedAt,
        recorded_by: caller.memberId,
      })
      .execute();
    await recordDecision(trx, { clsmId: caller.clsmId, caseId, decision: category, at: decidedAt });
    scope.audit({
      ...by(caller),
      type: 'decision.recorded',
      outcome: 'success',
      caseId,
      resourceType: 'decision',
      resourceId: id,
    });
    return id;
  });
}

/**
 * The person's adhesion is often known after the sitting: it may be recorded later, and changed, by
 * the coordinator (`decision.record`) or by the person themselves in their own space
 * (`decision.answer`; their own words go in their space, encrypted).
 */
export async function setAdhesion(
  ctx: AppContext,
  caller: Caller,
  decisionId: string,
  adhesion: Adhesion,
  action: 'decision.record' | 'decision.answer' = 'decision.record',
): Promise<void> {
  const decisionOf = (trx: Transaction<Database>) =>
    trx
      .selectFrom('decisions')
      .select('case_id')
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', decisionId)
      .executeTakeFirst();
  const request = {
    // An unknown decision is answered as an unknown situation, recorded under the id asked for.
    caseId: async (trx: Transaction<Database>) => (await decisionOf(trx))?.case_id ?? decisionId,
    action,
    find: async (trx: Transaction<Database>) => ({ found: await decisionOf(trx) }),
  } as const;
  await withCase(ctx, caller, request, async (trx, scope) => {
    const decision = scope.found;
    if (decision === undefined) throw notFound('decision');
    await trx
      .updateTable('decisions')
      .set({ adhesion })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', decisionId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'decision.recorded',
      outcome: 'success',
      caseId: decision.case_id,
      resourceType: 'decision',
      resourceId: decisionId,
      action: action === 'decision.answer' ? 'decision.answer' : 'decision.adhesion',
    });
  });
}

export interface ActionInput {
  assigneeId: string;
  dueOn: string;
  descriptionEntryId: string;
  decisionId: string | null;
}

export async function recordAction(
  ctx: AppContext,
  caller: Caller,
  sittingId: string,
  itemId: string,
  input: ActionInput,
): Promise<string> {
  return withSitting(ctx, caller, openItemRequest(sittingId), async (trx, scope) => {
    const caseId = await openItem(trx, scope, itemId, FROZEN_DECISIONS);
    const { state, now } = await scope.openCase({ caseId, action: 'action.record' });
    if (!state.participants.some((p) => p.id === input.assigneeId && p.active)) {
      throw new AppError('VALIDATION_FAILED', 'an action is assigned to a participant of the situation');
    }
    const description = await trx
      .selectFrom('entries')
      .select('id')
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('id', '=', input.descriptionEntryId)
      .where('compartment', '=', 'committee')
      .where('kind', '=', 'action')
      .executeTakeFirst();
    if (description === undefined)
      throw new AppError(
        'VALIDATION_FAILED',
        'the description must be an entry of kind "action" in the case\'s committee compartment',
      );
    if (input.decisionId !== null) {
      const decision = await trx
        .selectFrom('decisions')
        .select('id')
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .where('id', '=', input.decisionId)
        .executeTakeFirst();
      if (decision === undefined)
        throw new AppError('VALIDATION_FAILED', 'decisionId must be a decision about the same situation');
    }
    const id = randomUUID();
    await trx
      .insertInto('follow_up_actions')
      .values({
        clsm_id: caller.clsmId,
        id,
        case_id: caseId,
        agenda_item_id: itemId,
        decision_id: input.decisionId,
        assignee_id: input.assigneeId,
        description_entry_id: input.descriptionEntryId,
        due_on: input.dueOn,
        created_by: caller.memberId,
        created_at: now,
        completed_at: null,
      })
      .execute();
    scope.audit({
      ...by(caller),
      type: 'action.recorded',
      outcome: 'success',
      caseId,
      subjectId: input.assigneeId,
      resourceType: 'action',
      resourceId: id,
    });
    return id;
  });
}

export async function updateActionStatus(
  ctx: AppContext,
  caller: Caller,
  actionId: string,
  status: Exclude<ActionStatus, 'open'>,
): Promise<void> {
  const actionOf = (trx: Transaction<Database>) =>
    trx
      .selectFrom('follow_up_actions')
      .select(['case_id', 'assignee_id', 'status'])
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', actionId)
      .forUpdate()
      .executeTakeFirst();
  const request = {
    // An unknown action is answered as an unknown situation, recorded under the id asked for.
    caseId: async (trx: Transaction<Database>) => (await actionOf(trx))?.case_id ?? actionId,
    action: 'action.update',
    find: async (trx: Transaction<Database>) => {
      const found = await actionOf(trx);
      return { found, relation: { isAssignee: found?.assignee_id === caller.memberId } };
    },
  } as const;
  await withCase(ctx, caller, request, async (trx, scope) => {
    const action = scope.found;
    if (action === undefined) throw notFound('action');
    if (action.status !== 'open') throw new AppError('CONFLICT', `the action is already ${action.status}`);
    await trx
      .updateTable('follow_up_actions')
      .set({ status, completed_at: ctx.clock.now() })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', actionId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'action.recorded',
      outcome: 'success',
      caseId: action.case_id,
      resourceType: 'action',
      resourceId: actionId,
      action: `action.${status}`,
    });
  });
}

const FROZEN_DECISIONS = 'the sitting is closed: its decisions are part of its frozen minutes';
