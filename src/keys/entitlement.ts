import type { Compartment } from '../kernel/compartments.js';
import { wouldAllow, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import type { Role } from '../kernel/roles.js';
import { factsFor, type CaseState } from '../access/case-state.js';

// Who is entitled to a compartment's key: the participants the policy lets read it. Charter
// acceptance is left out on purpose: it gates access, not entitlement, so publishing a new charter
// does not make a rotation drop everyone who has not re-accepted it yet.

export function mayRead(
  policies: PolicyEngine,
  state: CaseState,
  member: { id: string; role: Role },
  compartment: Compartment,
): boolean {
  const as: Caller = {
    clsmId: state.row.clsm_id,
    memberId: member.id,
    role: member.role,
    charterAccepted: true,
    requestId: 'entitlement',
  };
  return wouldAllow(policies, as, {
    kind: 'compartment',
    action: 'compartment.read',
    facts: factsFor(state, { memberId: member.id, role: member.role }),
    compartment,
  });
}

export function entitledMembers(
  policies: PolicyEngine,
  state: CaseState,
  compartment: Compartment,
): { id: string; role: Role }[] {
  return state.participants.filter((p) => p.active && mayRead(policies, state, p, compartment));
}
