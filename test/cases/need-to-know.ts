import type { Compartment } from '../../src/kernel/compartments.js';
import type { Role } from '../../src/kernel/roles.js';

// The expected need-to-know, as a table a DPO can read and check against policies/README.md.
// careTeam: participants of these roles see the compartment by default (shared professional secrecy).
// withConsent: participants of these roles see it only while the person's consent covers them.
// No other role ever sees it; elected officials, the DPO, statistics readers and operators never do.
export const NEED_TO_KNOW: Record<Compartment, { careTeam: Role[]; withConsent: Role[] }> = {
  health: { careTeam: ['health_professional'], withConsent: ['social_worker'] },
  social: { careTeam: ['social_worker', 'health_professional'], withConsent: ['coordinator'] },
  identity: { careTeam: ['social_worker', 'health_professional'], withConsent: ['coordinator', 'partner'] },
  synthesis: { careTeam: ['social_worker', 'health_professional', 'coordinator'], withConsent: ['partner'] },
  committee: { careTeam: ['social_worker', 'health_professional', 'coordinator'], withConsent: ['partner'] },
  // The person's own space: the person reads and writes it (listed with the care team here), as the
  // professionals do; the landlord with consent.
  person: {
    careTeam: ['social_worker', 'health_professional', 'coordinator', 'person'],
    withConsent: ['partner'],
  },
};

/** Roles that can take part in a case at all (the person in the situation they were invited to). */
export const CASE_ROLES: Role[] = [
  'coordinator',
  'health_professional',
  'social_worker',
  'partner',
  'person',
];

/** The coordinator sees every case of the CLSM (not its content), so refusals to them are 403, not 404. */
export const SEES_ALL_CASES: Role[] = ['coordinator'];

/** The person's consent on the case: none recorded, all that consent can open, one pair only, withdrawn. */
export type ConsentState = 'none' | 'full' | 'partner-identity-only' | 'withdrawn';
export const CONSENT_STATES: ConsentState[] = ['none', 'full', 'partner-identity-only', 'withdrawn'];

export const CONSENT_SCOPE: Record<ConsentState, string[] | undefined> = {
  none: undefined,
  full: Object.entries(NEED_TO_KNOW).flatMap(([c, rule]) => rule.withConsent.map((r) => `${r}:${c}`)),
  'partner-identity-only': ['partner:identity'],
  withdrawn: [],
};

function consentCovers(state: ConsentState, role: Role, compartment: Compartment): boolean {
  return (CONSENT_SCOPE[state] ?? []).includes(`${role}:${compartment}`) && state !== 'withdrawn';
}

export interface Situation {
  role: Role;
  compartment: Compartment;
  participant: boolean;
  charterAccepted: boolean;
  consent: ConsentState;
}

export function expectedAllowed(s: Situation): boolean {
  // The charte éthique binds the professionals, not the person.
  if ((!s.charterAccepted && s.role !== 'person') || !s.participant) return false;
  const rule = NEED_TO_KNOW[s.compartment];
  return (
    rule.careTeam.includes(s.role) ||
    (rule.withConsent.includes(s.role) && consentCovers(s.consent, s.role, s.compartment))
  );
}

/** The HTTP answer expected: allowed, forbidden on a case one may know of, or not found (its existence stays hidden). */
export function expectedStatus(s: Situation, allowed: number): number {
  if (expectedAllowed(s)) return allowed;
  const knowsTheCase = (s.participant && CASE_ROLES.includes(s.role)) || SEES_ALL_CASES.includes(s.role);
  return knowsTheCase ? 403 : 404;
}
