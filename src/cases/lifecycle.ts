import type { CaseAction } from '../kernel/actions.js';
import type { CaseStatus } from './schema.js';

// The lifecycle of a situation: referred -> accepted or declined; accepted -> under review ->
// action plan -> follow-up, one step at a time; closed from any active step. Which ROLE may take a
// step is the policy's decision (policies/cases.cedar); which step is possible is decided here.

export type Transition = 'accept' | 'decline' | 'advance' | 'close';

const NEXT: Partial<Record<CaseStatus, CaseStatus>> = {
  accepted: 'under_review',
  under_review: 'action_plan',
  action_plan: 'follow_up',
};

const ACTIVE: readonly CaseStatus[] = ['accepted', 'under_review', 'action_plan', 'follow_up'];

/** The status a transition leads to, or undefined if it is not possible from `from`. */
export function target(from: CaseStatus, transition: Transition): CaseStatus | undefined {
  switch (transition) {
    case 'accept':
      return from === 'referred' ? 'accepted' : undefined;
    case 'decline':
      return from === 'referred' ? 'declined' : undefined;
    case 'advance':
      return NEXT[from];
    case 'close':
      return ACTIVE.includes(from) ? 'closed' : undefined;
  }
}

export const ACTION_OF: Record<Transition, CaseAction> = {
  accept: 'case.accept',
  decline: 'case.decline',
  advance: 'case.advance',
  close: 'case.close',
};

export function isActive(status: CaseStatus): boolean {
  return ACTIVE.includes(status);
}
