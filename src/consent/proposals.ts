import { randomUUID } from 'node:crypto';
import type { LogSealWire } from '../case-log/wire-schema.js';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError, notFound } from '../kernel/errors.js';
import { withCase, type CaseScope } from '../unit-of-work/case-unit.js';
import { appendConsent, positionColumns, type ConsentInput } from './consent-record.js';
import type { ConsentProposalsTable } from './schema.js';
import { voucherOf, type CaseState } from '../access/case-state.js';

// Consent changes that widen their recorder's own access (policies/cases.cedar,
// "case/consent-confirm"): proposed, they change nothing; the person's current consent stays the
// latest record until a second participant bound by secrecy, never the recorder
// (guard/consent-four-eyes, and a CHECK in the database), confirms the change. One waits at a time,
// against the consent in force when it was made: a newer proposal, or any consent recorded
// meanwhile, supersedes it.

export interface ConsentProposalView {
  id: string;
  decision: ConsentProposalsTable['decision'];
  scope: string[];
  obtained: ConsentProposalsTable['obtained'];
  statisticsObjection: boolean;
  evidenceEntryId: string | null;
  reviewOn: string | null;
  recordedBy: string;
  recordedAt: Date;
}

/** Records the proposal; called by recordConsent inside its unit, after the gate allowed it. */
export async function proposeConsent(
  trx: Transaction<Database>,
  scope: CaseScope<unknown>,
  caseId: string,
  input: ConsentInput,
): Promise<string> {
  const { caller, now } = scope;
  await supersedeProposals(trx, scope, caseId);
  const id = randomUUID();
  await trx
    .insertInto('consent_proposals')
    .values({
      clsm_id: caller.clsmId,
      id,
      case_id: caseId,
      ...positionColumns(input),
      recorded_by: caller.memberId,
      recorded_at: now,
      closed_by: null,
      closed_at: null,
      outcome: null,
      record_id: null,
    })
    .execute();
  scope.audit({
    ...by(caller),
    type: 'consent.proposed',
    outcome: 'success',
    caseId,
    resourceType: 'consent_proposal',
    resourceId: id,
  });
  return id;
}

/** Closes the proposal waiting on this situation, if any: the consent it was made against changes. */
export async function supersedeProposals(
  trx: Transaction<Database>,
  scope: CaseScope<unknown>,
  caseId: string,
): Promise<void> {
  const { caller, now } = scope;
  const closed = await trx
    .updateTable('consent_proposals')
    .set({ closed_by: caller.memberId, closed_at: now, outcome: 'superseded' })
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('closed_at', 'is', null)
    .returning('id')
    .execute();
  for (const { id } of closed) {
    scope.audit({
      ...by(caller),
      type: 'consent.proposal_closed',
      outcome: 'success',
      reason: 'SUPERSEDED',
      caseId,
      resourceType: 'consent_proposal',
      resourceId: id,
    });
  }
}

const findProposal =
  (caller: Caller, caseId: string, proposalId: string) =>
  async (trx: Transaction<Database>, state: CaseState) => {
    const row = await trx
      .selectFrom('consent_proposals')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('id', '=', proposalId)
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined) throw notFound('consent proposal');
    // A change the person proposed is not confirmed by whoever vouches for their account either.
    const requesters = [row.recorded_by, voucherOf(state, row.recorded_by)];
    return { found: row, relation: { isRequester: requesters.includes(caller.memberId) } };
  };

/** The second person confirms: the change becomes the person's current consent, recorded by its recorder. */
export async function confirmConsentProposal(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  proposalId: string,
  log?: LogSealWire,
): Promise<{ id: string; revoked: number }> {
  const find = findProposal(caller, caseId, proposalId);
  return withCase(ctx, caller, { caseId, action: 'consent.confirm', find }, async (trx, scope) => {
    const { now, found: row } = scope;
    if (row.closed_at !== null) throw new AppError('CONFLICT', 'this proposal was already closed');
    const input: ConsentInput = {
      decision: row.decision,
      scope: row.scope,
      obtained: row.obtained,
      statisticsObjection: row.statistics_objection,
      evidenceEntryId: row.evidence_entry_id,
      reviewOn: row.review_on,
    };
    const recorded = await appendConsent(
      trx,
      ctx,
      scope,
      caseId,
      input,
      row.recorded_by,
      caller.memberId,
      log,
    );
    await trx
      .updateTable('consent_proposals')
      .set({ closed_by: caller.memberId, closed_at: now, outcome: 'confirmed', record_id: recorded.id })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', proposalId)
      .execute();
    return recorded;
  });
}

/** Withdrawn by its recorder, or turned down by another who may record consent: nothing changes. */
export async function refuseConsentProposal(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  proposalId: string,
): Promise<void> {
  const find = findProposal(caller, caseId, proposalId);
  await withCase(ctx, caller, { caseId, action: 'consent.record', find }, async (trx, scope) => {
    const { now, found: row } = scope;
    if (row.closed_at !== null) throw new AppError('CONFLICT', 'this proposal was already closed');
    const withdrawn = row.recorded_by === caller.memberId;
    await trx
      .updateTable('consent_proposals')
      .set({ closed_by: caller.memberId, closed_at: now, outcome: withdrawn ? 'cancelled' : 'refused' })
      .where('clsm_id', '=', caller.clsmId)
      .where('id', '=', proposalId)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'consent.proposal_closed',
      outcome: 'success',
      reason: withdrawn ? 'CANCELLED' : 'REFUSED',
      caseId,
      resourceType: 'consent_proposal',
      resourceId: proposalId,
    });
  });
}

/**
 * The change waiting on a situation, if any. How consent was obtained is in it, so it is shown to
 * those who read the basis of consent (consent.read_basis): the participants bound by secrecy.
 */
export async function listConsentProposals(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
): Promise<ConsentProposalView[]> {
  return withCase(ctx, caller, { caseId, action: 'consent.read_basis' }, async (trx, scope) => {
    const rows = await trx
      .selectFrom('consent_proposals')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('closed_at', 'is', null)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'consent.read',
      outcome: 'success',
      caseId,
      resourceType: 'consent_proposal',
    });
    return rows.map((r) => ({
      id: r.id,
      decision: r.decision,
      scope: r.scope,
      obtained: r.obtained,
      statisticsObjection: r.statistics_objection,
      evidenceEntryId: r.evidence_entry_id,
      reviewOn: r.review_on,
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    }));
  });
}
