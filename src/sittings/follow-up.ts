import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { factsFor, requireCase } from '../access/case-state.js';
import { recordDecision } from '../stats/recorder/case-stages.js';
import type { Decision } from '../stats/vocabulary/categories.js';
import { requireOpenItem } from './sittings.js';
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
  return ctx.db.transaction().execute(async (trx) => {
    const { sitting, caseId } = await requireOpenItem(
      trx,
      ctx,
      caller,
      sittingId,
      itemId,
      'the sitting is closed: its decisions are part of its frozen minutes',
    );
    const state = await requireCase(trx, ctx.policies, caller, caseId, ctx.clock.now(), 'decision.record');
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'decision.record',
      facts: factsFor(state, caller),
    });
    const id = randomUUID();
    const decidedAt = sitting.held_at ?? ctx.clock.now();
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
    await appendAudit(trx, {
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

/** The person's adhesion is often known after the sitting: it may be recorded later, and changed. */
export async function setAdhesion(
  ctx: AppContext,
  caller: Caller,
  decisionId: string,
  adhesion: Adhesion,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const decision = await trx
      .selectFrom('decisions')
      .select('case_id')
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', decisionId)
      .executeTakeFirst();
    const state = await requireCase(
      trx,
      ctx.policies,
      caller,
      decision?.case_id ?? decisionId,
      ctx.clock.now(),
      'decision.record',
    );
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'decision.record',
      facts: factsFor(state, caller),
    });
    if (decision === undefined) throw notFound('decision');
    await trx
      .updateTable('decisions')
      .set({ adhesion })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', decisionId)
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'decision.recorded',
      outcome: 'success',
      caseId: decision.case_id,
      resourceType: 'decision',
      resourceId: decisionId,
      action: 'decision.adhesion',
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
  return ctx.db.transaction().execute(async (trx) => {
    const { caseId } = await requireOpenItem(
      trx,
      ctx,
      caller,
      sittingId,
      itemId,
      'the sitting is closed: its decisions are part of its frozen minutes',
    );
    const state = await requireCase(trx, ctx.policies, caller, caseId, ctx.clock.now(), 'action.record');
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'action.record',
      facts: factsFor(state, caller),
    });
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
        created_at: ctx.clock.now(),
        completed_at: null,
      })
      .execute();
    await appendAudit(trx, {
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
  await ctx.db.transaction().execute(async (trx) => {
    const action = await trx
      .selectFrom('follow_up_actions')
      .select(['case_id', 'assignee_id', 'status'])
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', actionId)
      .executeTakeFirst();
    const state = await requireCase(
      trx,
      ctx.policies,
      caller,
      action?.case_id ?? actionId,
      ctx.clock.now(),
      'action.update',
    );
    authorize(ctx.policies, caller, {
      kind: 'case',
      action: 'action.update',
      facts: factsFor(state, caller),
      isAssignee: action?.assignee_id === caller.memberId,
    });
    if (action === undefined) throw notFound('action');
    if (action.status !== 'open') throw new AppError('CONFLICT', `the action is already ${action.status}`);
    await trx
      .updateTable('follow_up_actions')
      .set({ status, completed_at: ctx.clock.now() })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', actionId)
      .execute();
    await appendAudit(trx, {
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
