import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { withCaseStatement } from '../unit-of-work/case-unit.js';
import type { ConsentDecision, ConsentRecordsTable, ExceptionBasis } from './schema.js';

// What the person agreed to, and the exceptions to it, as the caller may see them: every
// participant reads decisions, scopes and dates (consent.read); how consent was obtained, its
// evidence, the statistical objection, the review date and the legal ground of an exception only
// those the policy lets read them (consent.read_basis). Each read is recorded.

export interface ConsentRecordView {
  /** The record's place in the history: the order, and the key of its page's cursor. */
  seq: number;
  id: string;
  decision: ConsentDecision;
  scope: string[];
  obtained: ConsentRecordsTable['obtained'] | null;
  statisticsObjection: boolean | null;
  evidenceEntryId: string | null;
  reviewOn: string | null;
  recordedBy: string;
  recordedAt: Date;
  confirmedBy: string | null;
}

export interface ExceptionView {
  id: string;
  basis: ExceptionBasis | null;
  scope: string[];
  requestedBy: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  expiresAt: Date | null;
  closedAt: Date | null;
  personInformedAt: Date | null;
  logSeq: number | null;
}

/** One page of the consent history, oldest first: `limit + 1` records after the sequence number `afterSeq`. */
export async function consentHistory(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  page: { afterSeq: number | undefined; limit: number },
): Promise<ConsentRecordView[]> {
  return withCaseStatement(ctx, caller, { caseId, action: 'consent.read' }, async (db, scope) => {
    const basis = scope.allows('consent.read_basis');
    let q = db
      .selectFrom('consent_records')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId);
    if (page.afterSeq !== undefined) q = q.where('seq', '>', page.afterSeq);
    const records = await q
      .orderBy('seq')
      .limit(page.limit + 1)
      .execute();
    scope.audit({
      ...by(caller),
      type: 'consent.read',
      outcome: 'success',
      caseId,
      resourceType: 'consent',
    });
    return records.map((c) => ({
      seq: c.seq,
      id: c.id,
      decision: c.decision,
      scope: c.scope,
      obtained: basis ? c.obtained : null,
      statisticsObjection: basis ? c.statistics_objection : null,
      evidenceEntryId: basis ? c.evidence_entry_id : null,
      reviewOn: basis ? c.review_on : null,
      recordedBy: c.recorded_by,
      recordedAt: c.recorded_at,
      confirmedBy: c.confirmed_by,
    }));
  });
}

export async function listExceptions(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
): Promise<ExceptionView[]> {
  return withCaseStatement(ctx, caller, { caseId, action: 'consent.read' }, async (db, scope) => {
    const basis = scope.allows('consent.read_basis');
    const exceptions = await db
      .selectFrom('legal_exceptions')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .orderBy('requested_at')
      .execute();
    scope.audit({
      ...by(caller),
      type: 'exception.read',
      outcome: 'success',
      caseId,
      resourceType: 'exception',
    });
    return exceptions.map((e) => ({
      id: e.id,
      basis: basis ? e.basis : null,
      scope: e.scope,
      requestedBy: e.requested_by,
      approvedBy: e.approved_by,
      approvedAt: e.approved_at,
      expiresAt: e.expires_at,
      closedAt: e.closed_at,
      personInformedAt: e.person_informed_at,
      logSeq: e.log_seq,
    }));
  });
}
