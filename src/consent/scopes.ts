import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import { wouldAllow, type CaseFacts } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { ROLES, type Role } from '../kernel/roles.js';

// Which 'role:compartment' pairs the person's consent can open: exactly those where the policy
// denies a participant without consent and allows them with it. Asked of the policy itself, so that
// the consent form and the policy can never disagree.

export function consentScopes(policies: PolicyEngine): string[] {
  const scopes: string[] = [];
  for (const role of ROLES) {
    for (const compartment of COMPARTMENTS) {
      if (!decides(policies, role, compartment, false) && decides(policies, role, compartment, true))
        scopes.push(`${role}:${compartment}`);
    }
  }
  return scopes;
}

function decides(policies: PolicyEngine, role: Role, compartment: Compartment, consented: boolean): boolean {
  const facts: CaseFacts = {
    id: 'scope-probe',
    status: 'accepted',
    participant: true,
    assigned: [compartment],
    consent: consented ? { id: 'scope-probe', compartments: [compartment] } : undefined,
    exception: undefined,
  };
  const member = {
    clsmId: 'scope-probe',
    memberId: 'scope-probe',
    role,
    charterAccepted: true,
    requestId: 'scope-probe',
  };
  return wouldAllow(policies, member, {
    kind: 'compartment',
    action: 'compartment.read',
    facts,
    compartment,
  });
}
