// The actions the application asks the policy about. Start-up compares these lists with the Cedar
// schema in policies/: an action on one side only stops the service.

export const CLSM_ACTIONS = [
  'self.read',
  'self.keys',
  'session.end',
  'charter.read',
  'charter.accept',
  'charter.publish',
  'member.list',
  'member.invite',
  'clsm.read',
  'directory.read',
  'directory.root',
  'directory.certify',
  'directory.role',
  'directory.suspend',
  'directory.reinstate',
  'directory.device',
  'case.refer',
  'case.list',
  'sitting.create',
  'sitting.manage',
  'action.list_mine',
  'action.list_overdue',
  'stats.release',
  'stats.approve_release',
  'stats.read',
  'stats.read_regional',
  'audit.read',
  'audit.verify',
  'audit.checkpoints',
  'audit.head',
] as const;

export const CASE_ACTIONS = [
  'case.read',
  'case.read_reason',
  'case.accept',
  'case.decline',
  'case.advance',
  'case.close',
  'participant.add',
  'participant.remove',
  'participant.approve',
  'participant.refuse',
  'consent.record',
  'consent.confirm',
  'consent.read',
  'consent.read_basis',
  'exception.open',
  'exception.approve',
  'exception.close',
  'exception.inform',
  'exception.shorten',
  'case.access_report',
  'decision.record',
  'decision.answer',
  'person.invite',
  'action.record',
  'action.update',
  'sitting.schedule_case',
  'case.declare_statistics',
] as const;

export const COMPARTMENT_ACTIONS = [
  'compartment.read',
  'compartment.write',
  'sitting.read_decisions',
] as const;

export const SITTING_ACTIONS = ['sitting.read'] as const;

export type ClsmAction = (typeof CLSM_ACTIONS)[number];
export type CaseAction = (typeof CASE_ACTIONS)[number];
export type CompartmentAction = (typeof COMPARTMENT_ACTIONS)[number];
export type SittingAction = (typeof SITTING_ACTIONS)[number];
export type Action = ClsmAction | CaseAction | CompartmentAction | SittingAction;

export const ALL_ACTIONS: readonly Action[] = [
  ...CLSM_ACTIONS,
  ...CASE_ACTIONS,
  ...COMPARTMENT_ACTIONS,
  ...SITTING_ACTIONS,
];
