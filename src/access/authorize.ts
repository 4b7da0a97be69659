import type { Actor, AuditEvent, LegalBasis } from '../kernel/audit-events.js';
import { by } from '../kernel/audit-events.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import type { ErrorCode } from '../kernel/errors.js';
import type { Role } from '../kernel/roles.js';
import type { CaseAction, CompartmentAction, SittingAction, ClsmAction } from '../kernel/actions.js';
import type { Compartment } from '../kernel/compartments.js';
import { entity, type CedarValue, type Decision, type PolicyEngine } from './policy-engine.js';

// The one gate. Every route asks it, through its service, before touching data; it returns the
// legal basis of an allowed access, or throws a refusal that is audited after the refused
// transaction rolls back. Cases the caller may not know exist are "not found", with the very
// same answer as an unknown id.

/** The authenticated caller, with what the policy needs to know about them. */
export interface Caller extends Actor {
  charterAccepted: boolean;
}

/** What the application knows about a case and the caller's relation to it. */
export interface CaseFacts {
  id: string;
  status: string;
  participant: boolean;
  /** Compartments the person's current consent opens to the caller's role, and that consent. */
  consent: { id: string; compartments: readonly Compartment[] } | undefined;
  /** Compartments an approved, unexpired exception opens to the caller's role, and that exception. */
  exception: { id: string; compartments: readonly Compartment[] } | undefined;
  /** The participant's need-to-know set (empty for non-participants). */
  assigned: readonly Compartment[];
}

export type Resource =
  /** `isRequester`: for stats.approve_release, the approver is the one who asked for the release. */
  | { kind: 'clsm'; action: ClsmAction; isRequester?: boolean }
  | {
      kind: 'case';
      action: CaseAction;
      facts: CaseFacts;
      targetRole?: Role;
      isRequester?: boolean;
      isApprover?: boolean;
      isAssignee?: boolean;
    }
  | { kind: 'compartment'; action: CompartmentAction; facts: CaseFacts; compartment: Compartment }
  /** `convened`: the caller is convened to the sitting. */
  | { kind: 'sitting'; action: SittingAction; sittingId: string; convened: boolean };

export function authorize(engine: PolicyEngine, caller: Caller, resource: Resource): LegalBasis | undefined {
  const decision = engine.decide(requestFor(caller, resource));
  if (decision.allowed) return legalBasisOf(decision, resource);
  throw refusal(engine, caller, resource, decision);
}

/** What the gate knows of a situation before knowing which one: the caller takes no part in it. */
const OUTSIDER: CaseFacts = {
  id: 'any',
  status: 'referred',
  participant: false,
  consent: undefined,
  exception: undefined,
  assigned: [],
};

/** Whether the policy lets the caller take this action on situations they take no part in. */
export function allowsOnAnyCase(engine: PolicyEngine, caller: Caller, action: CaseAction): boolean {
  return engine.decide(requestFor(caller, { kind: 'case', action, facts: OUTSIDER })).allowed;
}

/** Whether the policy lets the caller see cases they take no part in (the coordinator's overview). */
export function seesAllCases(engine: PolicyEngine, caller: Caller): boolean {
  return allowsOnAnyCase(engine, { ...caller, charterAccepted: true }, 'case.read');
}

/** Whether a member other than the caller would be allowed: used to check the grantee of a key. */
export function wouldAllow(engine: PolicyEngine, member: Caller, resource: Resource): boolean {
  return engine.decide(requestFor(member, resource)).allowed;
}

function requestFor(caller: Caller, resource: Resource) {
  const principal = { id: caller.memberId, role: caller.role, charterAccepted: caller.charterAccepted };
  if (resource.kind === 'clsm') {
    const context: Record<string, CedarValue> = {};
    if (resource.isRequester !== undefined) context.isRequester = resource.isRequester;
    return {
      principal,
      action: resource.action,
      resource: { type: 'Clsm' as const, id: caller.clsmId },
      context,
    };
  }
  if (resource.kind === 'sitting') {
    return {
      principal,
      action: resource.action,
      resource: { type: 'Sitting' as const, id: resource.sittingId },
      context: { convened: resource.convened },
    };
  }
  const context: Record<string, CedarValue> = {
    caseStatus: resource.facts.status,
    participant: resource.facts.participant,
    consent: (resource.facts.consent?.compartments ?? []).map((c) => entity('Compartment', c)),
    exception: (resource.facts.exception?.compartments ?? []).map((c) => entity('Compartment', c)),
  };
  if (resource.kind === 'case') {
    if (resource.targetRole !== undefined) context.targetRole = entity('Role', resource.targetRole);
    if (resource.isRequester !== undefined) context.isRequester = resource.isRequester;
    if (resource.isApprover !== undefined) context.isApprover = resource.isApprover;
    if (resource.isAssignee !== undefined) context.isAssignee = resource.isAssignee;
    return {
      principal,
      action: resource.action,
      resource: { type: 'Case' as const, id: resource.facts.id },
      context,
    };
  }
  context.compartment = entity('Compartment', resource.compartment);
  context.assigned = resource.facts.assigned.includes(resource.compartment);
  return {
    principal,
    action: resource.action,
    resource: { type: 'CaseCompartment' as const, id: `${resource.facts.id}/${resource.compartment}` },
    context,
  };
}

function legalBasisOf(decision: Decision, resource: Resource): LegalBasis | undefined {
  if (resource.kind !== 'compartment') return undefined;
  // The strongest basis wins when several policies allow the same access.
  if (decision.policies.some((p) => p.startsWith('care-team/'))) return { kind: 'care_team' };
  if (decision.policies.some((p) => p.startsWith('own/'))) return { kind: 'own' };
  const { consent, exception } = resource.facts;
  if (consent !== undefined && decision.policies.some((p) => p.startsWith('consent/'))) {
    return { kind: 'consent', id: consent.id };
  }
  if (exception !== undefined && decision.policies.some((p) => p.startsWith('exception/'))) {
    return { kind: 'exception', id: exception.id };
  }
  return { kind: 'law' };
}

function refusal(
  engine: PolicyEngine,
  caller: Caller,
  resource: Resource,
  decision: Decision,
): AuditedRefusal {
  const [code, detail] = classify(engine, caller, resource, decision);
  const event: AuditEvent = {
    ...by(caller),
    type: 'access.denied',
    outcome: 'denied',
    reason: code,
    action: resource.action,
    resourceType: resource.kind,
    ...(resource.kind === 'sitting' ? { resourceId: resource.sittingId } : {}),
    ...(resource.kind === 'clsm' || resource.kind === 'sitting'
      ? {}
      : { caseId: resource.facts.id, resourceId: resource.facts.id }),
    ...(resource.kind === 'compartment' ? { compartment: resource.compartment } : {}),
  };
  return new AuditedRefusal(code, detail, event);
}

function classify(
  engine: PolicyEngine,
  caller: Caller,
  resource: Resource,
  decision: Decision,
): [ErrorCode, string] {
  const charter = decision.policies.includes('guard/charter-first');
  if (resource.kind === 'clsm') {
    return charter ? CHARTER_REFUSAL : ['FORBIDDEN', `your role may not ${resource.action}`];
  }
  if (resource.kind === 'sitting') {
    if (charter) return CHARTER_REFUSAL;
    // Whoever could see it when convened is told nothing about a sitting they were not convened to.
    const whenConvened = { ...resource, convened: true };
    return engine.decide(requestFor(caller, whenConvened)).allowed
      ? ['NOT_FOUND', 'sitting not found']
      : ['FORBIDDEN', 'your role may not read sittings'];
  }
  // A caller who may not even see the case must not learn that it exists, whatever else is wrong.
  const asAccepted = { ...caller, charterAccepted: true };
  const mayKnow = engine.decide(
    requestFor(asAccepted, { kind: 'case', action: 'case.read', facts: resource.facts }),
  ).allowed;
  if (!mayKnow) return ['NOT_FOUND', 'case not found'];
  if (charter) return CHARTER_REFUSAL;
  // The refused role is the one being added, not the caller's.
  if (resource.kind === 'case' && decision.policies.includes('guard/participant-roles')) {
    const target = resource.targetRole ?? 'member';
    return ['FORBIDDEN', `a member whose role is ${target} may not take part in a situation`];
  }
  if (resource.kind === 'compartment') {
    const everything = { id: 'hypothetical', compartments: [resource.compartment] };
    const withConsent = { ...resource, facts: { ...resource.facts, consent: everything } };
    if (engine.decide(requestFor(caller, withConsent)).allowed) {
      return [
        'CONSENT_REQUIRED',
        `the person's consent does not cover the ${resource.compartment} compartment for your role`,
      ];
    }
    return ['FORBIDDEN', `your role may not access the ${resource.compartment} compartment`];
  }
  return ['FORBIDDEN', `your role may not ${resource.action} on this case`];
}

const CHARTER_REFUSAL: [ErrorCode, string] = [
  'CHARTER_NOT_ACCEPTED',
  'accept the current charte éthique first (GET /v1/charter, then POST /v1/charter/accept)',
];
