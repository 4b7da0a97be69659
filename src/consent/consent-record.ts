import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import type { CaseScope } from '../unit-of-work/case-unit.js';
import type { ConsentDecision, ConsentRecordsTable } from './schema.js';
import { revokeLostAccess } from './access-diff.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change } from '../crypto/case-log-statements.js';

// Appending a record to the person's consent history, whether it took effect at once or waited for
// a second person (src/consent/proposals.ts).

export interface ConsentInput {
  decision: ConsentDecision;
  scope: string[];
  obtained: ConsentRecordsTable['obtained'];
  statisticsObjection: boolean;
  evidenceEntryId: string | null;
  reviewOn: string | null;
}

/** The columns a consent record and a proposal share: the person's position as recorded. */
export const positionColumns = (input: ConsentInput) => ({
  decision: input.decision,
  scope: input.scope,
  obtained: input.obtained,
  statistics_objection: input.statisticsObjection,
  evidence_entry_id: input.evidenceEntryId,
  review_on: input.reviewOn,
});

/**
 * Appends the record, with its membership log statement signed by the caller, and takes their keys
 * from whoever it no longer covers. `confirmedBy` is the second person of a change that waited for one.
 */
export async function appendConsent(
  trx: Transaction<Database>,
  ctx: AppContext,
  scope: CaseScope<unknown>,
  caseId: string,
  input: ConsentInput,
  recordedBy: string,
  confirmedBy: string | null,
  log: LogSealWire | undefined,
): Promise<{ id: string; revoked: number }> {
  const { caller, now, state: before } = scope;
  const stated = change('consent', {
    decision: input.decision,
    scope: input.scope,
    requestedBy: confirmedBy === null ? null : recordedBy,
  });
  const action = confirmedBy === null ? 'consent.record' : 'consent.confirm';
  await appendCaseLog(trx, { caller, caseId, action }, stated, log);
  const id = randomUUID();
  await trx
    .insertInto('consent_records')
    .values({
      clsm_id: caller.clsmId,
      id,
      case_id: caseId,
      ...positionColumns(input),
      recorded_by: recordedBy,
      recorded_at: now,
      confirmed_by: confirmedBy,
    })
    .execute();
  const basis = { kind: 'consent' as const, id };
  const after = { ...before, consent: { id, decision: input.decision, scope: input.scope } };
  const lost = await revokeLostAccess(trx, scope, ctx.policies, by(caller), before, after, basis);
  scope.audit({
    ...by(caller),
    type:
      confirmedBy !== null
        ? 'consent.confirmed'
        : input.decision === 'withdrawn'
          ? 'consent.withdrawn'
          : 'consent.recorded',
    outcome: 'success',
    caseId,
    resourceType: 'consent',
    resourceId: id,
    ...(confirmedBy !== null ? { subjectId: recordedBy } : {}),
    legalBasis: basis,
  });
  return { id, revoked: lost.reduce((n, l) => n + l.compartments.length, 0) };
}

export async function requireEvidence(
  trx: Transaction<Database>,
  caller: Caller,
  caseId: string,
  evidenceEntryId: string,
): Promise<void> {
  const evidence = await trx
    .selectFrom('entries')
    .select('id')
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('id', '=', evidenceEntryId)
    .where('compartment', '=', 'identity')
    .where('kind', '=', 'evidence')
    .executeTakeFirst();
  if (evidence === undefined)
    throw new AppError(
      'VALIDATION_FAILED',
      'the evidence must be an entry of kind "evidence" in this case\'s identity compartment',
    );
}
