import type { Role } from './roles.js';

// The closed catalogue of audit events. Nothing free-form: every field is an identifier, a role,
// a category or a stable code. Never plaintext, names, keys, tokens or client addresses.

export const AUDIT_EVENT_TYPES = [
  'auth.login',
  'auth.login_failed',
  'auth.token_refused',
  'auth.logout',
  'member.invited',
  'member.invitation_opened',
  'member.enrolled',
  'member.suspended',
  'member.reinstated',
  'member.role_changed',
  'member.certified',
  'member.keys_certified',
  'directory.root_signed',
  'member.key_registered',
  'member.key_backup_stored',
  'member.recovery_issued',
  'member.recovery_opened',
  'member.key_recovered',
  'charter.published',
  'charter.accepted',
  'access.denied',
  'case.referred',
  'case.transitioned',
  'case.read',
  'case.purged',
  'case.statistics_declared',
  'participant.added',
  'participant.removed',
  'participant.narrowed',
  'participant.requested',
  'participant.approved',
  'participant.refused',
  'compartment.read',
  'entry.written',
  'grant.given',
  'grant.revoked',
  'key.rotated',
  'consent.recorded',
  'consent.withdrawn',
  'consent.read',
  'consent.proposed',
  'consent.confirmed',
  'consent.proposal_closed',
  'exception.opened',
  'exception.approved',
  'exception.closed',
  'exception.shortened',
  'exception.person_informed',
  'exception.read',
  'decision.recorded',
  'action.recorded',
  'sitting.created',
  'sitting.agenda_changed',
  'sitting.attendance_recorded',
  'sitting.held',
  'sitting.closed',
  'sitting.read',
  'list.read',
  'stats.released',
  'stats.release_requested',
  'stats.release_approved',
  'stats.regional_released',
  'audit.read',
  'audit.verified',
  'audit.checkpoint_signed',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export type Outcome = 'success' | 'denied' | 'failure';
export type LegalBasis =
  { kind: 'consent' | 'exception'; id: string } | { kind: 'care_team' | 'own' | 'law' };

/** Who did it, where, under which request. Built once per request from the authenticated member. */
export interface Actor {
  clsmId: string;
  memberId: string;
  role: Role;
  requestId: string;
}

export interface AuditEvent {
  clsmId: string;
  type: AuditEventType;
  outcome: Outcome;
  reason?: string;
  actorId?: string;
  actorRole?: Role;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  caseId?: string;
  compartment?: string;
  subjectId?: string;
  keyVersion?: number;
  legalBasis?: LegalBasis;
  requestId?: string;
  /** An aggregated event: how many occurrences it stands for (absent: one, itself). */
  occurrences?: number;
}

/** Who an event is attributed to: a member's request, or (actor fields absent) the service's own jobs. */
export type AuditActor = Pick<AuditEvent, 'clsmId' | 'actorId' | 'actorRole' | 'requestId'>;

/** Fields every event of an authenticated request starts with. */
export function by(actor: Actor): AuditActor {
  return { clsmId: actor.clsmId, actorId: actor.memberId, actorRole: actor.role, requestId: actor.requestId };
}

/** The pseudo-CLSM whose chain records what belongs to no CLSM (a forged token, an unknown code). */
export const PLATFORM_CLSM = '00000000-0000-0000-0000-000000000000';
