import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by, type AuditEvent } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { declineReasonSchema, outcomeSchema } from '../stats/vocabulary/categories.js';
import type { PersonFacts } from '../stats/vocabulary/person-facts.js';
import {
  declarePersonFacts,
  recordClosure,
  recordDecline,
  recordFirstReview,
  recordReferral,
} from '../stats/recorder/case-stages.js';
import { ACTION_OF, target, type Transition } from './lifecycle.js';
import type { CasesTable, CaseStatus, Urgency } from './schema.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';

export interface Referral {
  /** Chosen by the referrer's device: the membership log's opening statement names it. */
  id: string;
  /** The opening statement of the situation's membership log, signed by the referrer. */
  log: LogSealWire;
  reasonCategory: string;
  urgency: Urgency;
  /** The person's coarse categories for the bilan, when the referrer declares them at once. */
  statistics?: PersonFacts | undefined;
}

/** A professional refers a situation: it gets a reference that says nothing about the person. */
export async function referCase(
  ctx: AppContext,
  caller: Caller,
  referral: Referral,
): Promise<{ id: string; reference: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    authorize(ctx.policies, caller, { kind: 'clsm', action: 'case.refer' });
    const now = ctx.clock.now();
    const { id } = referral;
    if (referral.statistics !== undefined) {
      // The referrer is about to be the case's only participant: may they describe the person?
      authorize(ctx.policies, caller, {
        kind: 'case',
        action: 'case.declare_statistics',
        facts: {
          id,
          status: 'referred',
          participant: true,
          consent: undefined,
          exception: undefined,
          assigned: [],
        },
      });
    }
    const reference = await nextReference(trx, caller.clsmId, now.getUTCFullYear());
    await trx
      .insertInto('cases')
      .values({
        clsm_id: caller.clsmId,
        id,
        reference,
        status: 'referred',
        urgency: referral.urgency,
        reason_category: referral.reasonCategory,
        referred_by: caller.memberId,
        referred_at: now,
        decided_at: null,
        first_review_at: null,
        closed_at: null,
        decline_reason: null,
        outcome_category: null,
        retention_until: null,
        purged_at: null,
        categories_changed_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
      .then((row) => {
        if (row === undefined) throw new AppError('CONFLICT', 'a situation with this id exists');
      });
    await recordReferral(trx, { clsmId: caller.clsmId, caseId: id, referredAt: now });
    if (referral.statistics !== undefined) {
      await declarePersonFacts(trx, { clsmId: caller.clsmId, caseId: id, at: now }, referral.statistics);
    }
    await trx
      .insertInto('case_participants')
      .values({
        clsm_id: caller.clsmId,
        case_id: id,
        member_id: caller.memberId,
        added_by: caller.memberId,
        added_at: now,
        removed_at: null,
        compartments: [...COMPARTMENTS],
      })
      .execute();
    await trx
      .insertInto('case_compartments')
      .values(COMPARTMENTS.map((compartment) => ({ clsm_id: caller.clsmId, case_id: id, compartment })))
      .execute();
    const opened = change('opened', { subjectId: caller.memberId, compartments: COMPARTMENTS });
    await appendCaseLog(trx, { caller, caseId: id, action: 'case.refer' }, opened, referral.log);
    await recordTransition(trx, caller, id, null, 'referred', referral.reasonCategory, now);
    await appendAudit(trx, {
      ...by(caller),
      type: 'case.referred',
      outcome: 'success',
      caseId: id,
      resourceType: 'case',
      resourceId: id,
    });
    if (referral.statistics !== undefined) await appendAudit(trx, statisticsDeclared(caller, id));
    return { id, reference };
  });
}

/** Declares or corrects the person's coarse categories for the bilan (src/stats/recorder/case-stages.ts). */
export async function declareCaseStatistics(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  person: PersonFacts,
): Promise<void> {
  await withCase(ctx, caller, { caseId, action: 'case.declare_statistics' }, async (trx, scope) => {
    await declarePersonFacts(trx, { clsmId: caller.clsmId, caseId, at: scope.now }, person);
    scope.audit(statisticsDeclared(caller, caseId));
  });
}

/** Every change of a person's categories is recorded: the case, who, when; never the values. */
function statisticsDeclared(caller: Caller, caseId: string): AuditEvent {
  return {
    ...by(caller),
    type: 'case.statistics_declared',
    outcome: 'success',
    action: 'case.declare_statistics',
    caseId,
    resourceType: 'case',
    resourceId: caseId,
  };
}

async function nextReference(trx: Transaction<Database>, clsmId: string, year: number): Promise<string> {
  const row = await trx
    .insertInto('case_counters')
    .values({ clsm_id: clsmId, year, last: 1 })
    .onConflict((oc) => oc.columns(['clsm_id', 'year']).doUpdateSet({ last: sql`case_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${year}-${String(row.last).padStart(4, '0')}`;
}

async function recordTransition(
  trx: Transaction<Database>,
  caller: Caller,
  caseId: string,
  from: CaseStatus | null,
  to: CaseStatus,
  category: string | null,
  at: Date,
): Promise<void> {
  await trx
    .insertInto('case_transitions')
    .values((eb) => ({
      clsm_id: caller.clsmId,
      case_id: caseId,
      seq: eb
        .selectFrom('case_transitions')
        .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId),
      from_status: from,
      to_status: to,
      category,
      member_id: caller.memberId,
      at,
    }))
    .execute();
}

/**
 * Moves a case one step. Declining and closing start the retention period; the case is
 * crypto-shredded when it ends (src/cases/purge.ts).
 */
export async function transitionCase(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  transition: Transition,
  category: string | undefined,
): Promise<CaseStatus> {
  return withCase(ctx, caller, { caseId, action: ACTION_OF[transition] }, async (trx, scope) => {
    const { now, state } = scope;
    const from = state.row.status;
    const to = target(from, transition);
    if (to === undefined)
      throw new AppError(
        'INVALID_TRANSITION',
        `a ${from} case cannot be ${transition === 'advance' ? 'advanced' : `${transition}d`}`,
      );
    if ((transition === 'decline' || transition === 'close') && category === undefined) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${transition === 'decline' ? 'a decline reason' : 'an outcome category'} is required`,
      );
    }
    const retentionUntil = new Date(now.getTime() + ctx.config.retention.days * 86_400_000);
    // Locks the case row: two concurrent transitions cannot both start from the same status.
    const updated = await trx
      .updateTable('cases')
      .set({
        status: to,
        ...(transition === 'accept' || transition === 'decline' ? { decided_at: now } : {}),
        ...(to === 'under_review' ? { first_review_at: now } : {}),
        ...(transition === 'decline'
          ? { decline_reason: category ?? null, retention_until: retentionUntil }
          : {}),
        ...(transition === 'close'
          ? { closed_at: now, outcome_category: category ?? null, retention_until: retentionUntil }
          : {}),
      })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', caseId)
      .where('status', '=', from)
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) throw new AppError('CONFLICT', 'the case changed meanwhile; reload it');
    await recordTransition(trx, caller, caseId, from, to, category ?? null, now);
    await recordStageFacts(trx, state.row, transition, to, category, now);
    scope.audit({
      ...by(caller),
      type: 'case.transitioned',
      outcome: 'success',
      action: ACTION_OF[transition],
      caseId,
      resourceType: 'case',
      resourceId: caseId,
    });
    return to;
  });
}

/** The stages the bilan counts: decline, first review in a sitting, closure (src/stats/recorder/case-stages.ts). */
async function recordStageFacts(
  trx: Transaction<Database>,
  row: CasesTable,
  transition: Transition,
  to: CaseStatus,
  category: string | undefined,
  at: Date,
): Promise<void> {
  const ofCase = { clsmId: row.clsm_id, caseId: row.id };
  if (transition === 'decline') {
    await recordDecline(trx, { ...ofCase, reason: declineReasonSchema.parse(category) });
  } else if (transition === 'close') {
    const outcome = outcomeSchema.parse(category);
    await recordClosure(trx, { ...ofCase, outcome, referredAt: row.referred_at, at });
  } else if (to === 'under_review') {
    await recordFirstReview(trx, { ...ofCase, referredAt: row.referred_at, at });
  }
}
