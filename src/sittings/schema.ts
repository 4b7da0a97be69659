import type { ColumnType, Generated } from 'kysely';

export const SITTING_STATUSES = ['planned', 'held', 'closed'] as const;
export type SittingStatus = (typeof SITTING_STATUSES)[number];
export const ATTENDANCE = ['present', 'excused', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ADHESION = ['agrees', 'disagrees', 'not_asked'] as const;
export type Adhesion = (typeof ADHESION)[number];
export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface SittingsTable {
  clsm_id: string;
  id: string;
  scheduled_for: Date;
  location: string;
  status: Generated<SittingStatus>;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
  held_at: Date | null;
  closed_at: Date | null;
}

export interface SittingMembersTable {
  clsm_id: string;
  sitting_id: string;
  member_id: string;
  attendance: Attendance | null;
}

export interface AgendaItemsTable {
  clsm_id: string;
  id: string;
  sitting_id: string;
  case_id: string;
  position: number;
}

export interface DecisionsTable {
  clsm_id: string;
  id: string;
  case_id: string;
  agenda_item_id: string;
  category: string;
  adhesion: Generated<Adhesion>;
  decided_at: Date;
  recorded_by: string;
}

export interface FollowUpActionsTable {
  clsm_id: string;
  id: string;
  case_id: string;
  agenda_item_id: string;
  decision_id: string | null;
  assignee_id: string;
  description_entry_id: string;
  /** A calendar date, 'YYYY-MM-DD'. */
  due_on: string;
  status: Generated<ActionStatus>;
  created_by: string;
  created_at: Date;
  completed_at: Date | null;
}

export interface SittingTables {
  sittings: SittingsTable;
  sitting_members: SittingMembersTable;
  agenda_items: AgendaItemsTable;
  decisions: DecisionsTable;
  follow_up_actions: FollowUpActionsTable;
}
