import type { Compartment } from '../kernel/compartments.js';
import { mayHold } from '../kernel/need-to-know.js';
import { ROLES, type Role } from '../kernel/roles.js';

// Who may hold each compartment key of a situation, computed on the device from the facts and the
// kernel's need-to-know table (the Cedar policies, checked cell by cell), never taken from the
// server's list of who should get a key. The facts are data: today they come from the situation's
// view and the directory; a verified membership log can hand in the same shape later.

export interface EntitlementFacts {
  /** The active participants, each with the compartments they were assigned. */
  participants: readonly { memberId: string; compartments: readonly Compartment[] }[];
  /** The person's current consent: its decision and its 'role:compartment' scope. */
  consent: { decision: string; scope: readonly string[] } | null;
  /** The approved, unexpired legal exceptions, each with its 'role:compartment' scope. */
  exceptions: readonly { scope: readonly string[] }[];
  /** Each member's role as the directory states it. */
  roles: ReadonlyMap<string, string>;
}

const asRole = (role: string | undefined): Role | undefined => ROLES.find((r) => r === role);

/** Whether this member may hold this compartment's key, by the table and the facts. */
export function mayHoldKey(facts: EntitlementFacts, memberId: string, compartment: Compartment): boolean {
  const role = asRole(facts.roles.get(memberId));
  if (role === undefined) return false;
  const participation = facts.participants.find((p) => p.memberId === memberId);
  const covers = (scope: readonly string[]) => scope.includes(`${role}:${compartment}`);
  return mayHold(role, compartment, {
    participant: participation !== undefined,
    assigned: participation?.compartments.includes(compartment) ?? false,
    consentCovers: facts.consent?.decision === 'given' && covers(facts.consent.scope),
    exceptionCovers: facts.exceptions.some((e) => covers(e.scope)),
  });
}

/** Whether a member of this role may hold this compartment's key in some situation (the table's cell is not `never`). */
export function roleMayEverHold(role: string | undefined, compartment: Compartment): boolean {
  const r = asRole(role);
  const anything = { participant: true, assigned: true, consentCovers: true, exceptionCovers: true };
  return r !== undefined && mayHold(r, compartment, anything);
}

/** The participants who may hold this compartment's key. */
export function entitledHolders(facts: EntitlementFacts, compartment: Compartment): string[] {
  return facts.participants.map((p) => p.memberId).filter((id) => mayHoldKey(facts, id, compartment));
}
