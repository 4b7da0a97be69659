import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { compartmentsFor, vouchingRole, type CaseState } from '../access/case-state.js';
import { AppError } from '../kernel/errors.js';
import type { Role } from '../kernel/roles.js';
import { withCase } from '../unit-of-work/case-unit.js';
import type { ConsentDecision } from './schema.js';
import { consentScopes } from './scopes.js';
import { appendConsent, requireEvidence, type ConsentInput } from './consent-record.js';
import { proposeConsent, supersedeProposals } from './proposals.js';
import type { LogSealWire } from '../case-log/wire-schema.js';

export interface RecordedConsent {
  id: string;
  revoked: number;
  /** The change widens the recorder's own access: it waits for a second participant (src/consent/proposals.ts). */
  pending: boolean;
}

/**
 * Appends a consent record; the latest record is the person's current position. Nothing is ever
 * overwritten. Whoever the new position no longer covers loses their keys in the same transaction.
 * A change that widens what the recorder's own role may read is only proposed: it takes effect when
 * a second participant bound by secrecy confirms it. It cannot narrow anything at the same time
 * (what protects the person must not wait): the narrowing is recorded first, on its own.
 */
export async function recordConsent(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  input: ConsentInput,
  log?: LogSealWire,
): Promise<RecordedConsent> {
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
    const { state: before } = scope;
    if (input.evidenceEntryId !== null) await requireEvidence(trx, caller, caseId, input.evidenceEntryId);
    const ownRole = vouchingRole(before, caller.memberId, caller.role);
    if (ownRole === undefined || widensFor(before, input, ownRole)) {
      if (narrowsAny(before, input))
        throw new AppError(
          'CONFLICT',
          "this change widens your own role's access and narrows another's: record the narrowing first (it takes effect at once), then the widening (it waits for a second participant bound by secrecy)",
        );
      return { id: await proposeConsent(trx, scope, caseId, input), revoked: 0, pending: true };
    }
    await supersedeProposals(trx, scope, caseId);
    const { id, revoked } = await appendConsent(trx, ctx, scope, caseId, input, caller.memberId, null, log);
    return { id, revoked, pending: false };
  });
}

/** The 'role:compartment' pairs a consent position opens (none unless given). */
const opened = (
  consent: { decision: ConsentDecision; scope: readonly string[] } | null,
): readonly string[] => (consent?.decision === 'given' ? consent.scope : []);

/** Whether the change opens to `role` a compartment the current consent does not. */
export function widensFor(before: CaseState, input: ConsentInput, role: Role): boolean {
  const was = compartmentsFor(opened(before.consent), role);
  return compartmentsFor(opened(input), role).some((c) => !was.includes(c));
}

/** Whether the change closes anything the current consent opens, to any role. */
function narrowsAny(before: CaseState, input: ConsentInput): boolean {
  const now = opened(input);
  return opened(before.consent).some((pair) => !now.includes(pair));
}
