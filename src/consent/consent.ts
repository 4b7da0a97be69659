import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { withCase } from '../unit-of-work/case-unit.js';
import type { ConsentDecision, ConsentRecordsTable } from './schema.js';
import { revokeLostAccess } from './access-diff.js';
import { consentScopes } from './scopes.js';

export interface ConsentInput {
  decision: ConsentDecision;
  scope: string[];
  obtained: ConsentRecordsTable['obtained'];
  statisticsObjection: boolean;
  evidenceEntryId: string | null;
  reviewOn: string | null;
}

/**
 * Appends a consent record; the latest record is the person's current position. Nothing is ever
 * overwritten. Whoever the new position no longer covers loses their keys in the same transaction.
 */
export async function recordConsent(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  input: ConsentInput,
): Promise<{ id: string; revoked: number }> {
  const allowed = consentScopes(ctx.policies);
  const outside = input.scope.filter((s) => !allowed.includes(s));
  if (outside.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `consent cannot open ${outside.join(', ')}; it can open: ${allowed.join(', ')}`,
    );
  }
  if (input.decision !== 'given' && input.scope.length > 0)
    throw new AppError('VALIDATION_FAILED', `a ${input.decision} consent has an empty scope`);
  return withCase(ctx, caller, { caseId, action: 'consent.record' }, async (trx, scope) => {
    const { now, state: before } = scope;
    if (input.evidenceEntryId !== null) {
      const evidence = await trx
        .selectFrom('entries')
        .select('id')
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .where('id', '=', input.evidenceEntryId)
        .where('compartment', '=', 'identity')
        .where('kind', '=', 'evidence')
        .executeTakeFirst();
      if (evidence === undefined)
        throw new AppError(
          'VALIDATION_FAILED',
          'the evidence must be an entry of kind "evidence" in this case\'s identity compartment',
        );
    }
    const id = randomUUID();
    await trx
      .insertInto('consent_records')
      .values({
        clsm_id: caller.clsmId,
        id,
        case_id: caseId,
        decision: input.decision,
        scope: input.scope,
        obtained: input.obtained,
        statistics_objection: input.statisticsObjection,
        evidence_entry_id: input.evidenceEntryId,
        review_on: input.reviewOn,
        recorded_by: caller.memberId,
        recorded_at: now,
      })
      .execute();
    const basis = { kind: 'consent' as const, id };
    const after = { ...before, consent: { id, decision: input.decision, scope: input.scope } };
    const lost = await revokeLostAccess(trx, scope, ctx.policies, by(caller), before, after, basis);
    scope.audit({
      ...by(caller),
      type: input.decision === 'withdrawn' ? 'consent.withdrawn' : 'consent.recorded',
      outcome: 'success',
      caseId,
      resourceType: 'consent',
      resourceId: id,
      legalBasis: basis,
    });
    return { id, revoked: lost.reduce((n, l) => n + l.compartments.length, 0) };
  });
}
