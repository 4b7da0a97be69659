import type { Compartment } from './compartments.js';
import type { Role } from './roles.js';

// Who may hold a compartment's key: policies/compartments.cedar and policies/guards.cedar written as
// a table, so that a client can tell by itself whom it seals keys to and whose grants it believes.
// test/kernel/need-to-know.unit.test.ts asks the Cedar engine every cell, for compartment.read and
// compartment.write, and fails on any disagreement: policies/ stays the one statement of the rules.
//
// Each cell says on what ground a participant of that role holds the key:
//   care-team  a participant assigned the compartment (professionals bound by shared secrecy);
//   beyond     the same, and only while the person's consent or an approved, unexpired legal
//              exception covers this role and compartment (the two share one ceiling);
//   own        the person the situation is about, in their own space, and nowhere else;
//   never      whatever the facts (guard/no-content-roles, or beyond the ceiling of consent).
//
// The charter guard (guard/charter-first) is left out on purpose: it concerns the member's state,
// not the situation. A member who has not accepted a new charter yet keeps their entitlement (the
// server does not expect a rotation to drop them either, src/keys/entitlement.ts) and is refused
// access by the server until they accept it; a client cannot see another member's acceptance.

export type Ground = 'care-team' | 'beyond' | 'own' | 'never';

// prettier-ignore
export const NEED_TO_KNOW: Readonly<Record<Role, Readonly<Record<Compartment, Ground>>>> = {
  //                    identity      synthesis     social        health        committee     person
  health_professional: { identity: 'care-team', synthesis: 'care-team', social: 'care-team', health: 'care-team', committee: 'care-team', person: 'care-team' },
  social_worker:       { identity: 'care-team', synthesis: 'care-team', social: 'care-team', health: 'beyond',    committee: 'care-team', person: 'care-team' },
  coordinator:         { identity: 'beyond',    synthesis: 'care-team', social: 'beyond',    health: 'never',     committee: 'care-team', person: 'care-team' },
  partner:             { identity: 'beyond',    synthesis: 'beyond',    social: 'never',     health: 'never',     committee: 'beyond',    person: 'beyond' },
  elected_official:    { identity: 'never',     synthesis: 'never',     social: 'never',     health: 'never',     committee: 'never',     person: 'never' },
  dpo:                 { identity: 'never',     synthesis: 'never',     social: 'never',     health: 'never',     committee: 'never',     person: 'never' },
  stats_reader:        { identity: 'never',     synthesis: 'never',     social: 'never',     health: 'never',     committee: 'never',     person: 'never' },
  operator:            { identity: 'never',     synthesis: 'never',     social: 'never',     health: 'never',     committee: 'never',     person: 'never' },
  person:              { identity: 'never',     synthesis: 'never',     social: 'never',     health: 'never',     committee: 'never',     person: 'own' },
};

/** The facts about one member and one compartment of a situation that the rules read. */
export interface HoldingFacts {
  /** An active participant of the situation. */
  participant: boolean;
  /** Assigned this compartment when added (their need-to-know set). */
  assigned: boolean;
  /** The person's current consent (given, not withdrawn) covers this role and compartment. */
  consentCovers: boolean;
  /** An approved, unexpired legal exception covers this role and compartment. */
  exceptionCovers: boolean;
}

/** Whether a member of this role may read, write, and so hold the key of this compartment. */
export function mayHold(role: Role, compartment: Compartment, facts: HoldingFacts): boolean {
  if (!facts.participant || !facts.assigned) return false;
  const ground = NEED_TO_KNOW[role][compartment];
  switch (ground) {
    case 'care-team':
    case 'own':
      return true;
    case 'beyond':
      return facts.consentCovers || facts.exceptionCovers;
    case 'never':
      return false;
  }
}
