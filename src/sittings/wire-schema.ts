import { z } from 'zod';
import { ACTION_STATUSES, ADHESION, ATTENDANCE, SITTING_STATUSES } from './schema.js';

// Sittings and follow-up actions as the API answers: the routes declare these schemas and the SDK
// takes its types from them.

export const sittingSummarySchema = z.object({
  id: z.uuid(),
  scheduledFor: z.iso.datetime(),
  location: z.string(),
  status: z.enum(SITTING_STATUSES),
  heldAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
});

export const caseDecisionSchema = z.object({
  id: z.uuid(),
  sittingId: z.uuid(),
  category: z.string(),
  adhesion: z.enum(ADHESION),
  decidedAt: z.iso.datetime(),
});

const decisionSchema = z.object({
  id: z.uuid(),
  category: z.string(),
  adhesion: z.enum(ADHESION),
  decidedAt: z.iso.datetime(),
});

const actionSchema = z.object({
  id: z.uuid(),
  assigneeId: z.uuid(),
  dueOn: z.iso.date(),
  status: z.enum(ACTION_STATUSES),
  descriptionEntryId: z.uuid(),
  decisionId: z.uuid().nullable(),
});

/** A sitting: attendance, and its agenda as the caller may see it. */
export const sittingViewSchema = sittingSummarySchema.extend({
  members: z.array(z.object({ memberId: z.uuid(), attendance: z.enum(ATTENDANCE).nullable() })),
  agenda: z.array(
    z.object({
      itemId: z.uuid(),
      position: z.number().int(),
      label: z.string(),
      case: z.object({ id: z.uuid(), reference: z.string(), status: z.string() }).nullable(),
      decisions: z.array(decisionSchema),
      actions: z.array(actionSchema),
    }),
  ),
});

/** One of the caller's follow-up actions. */
export const myActionSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  reference: z.string(),
  dueOn: z.iso.date(),
  overdue: z.boolean(),
  descriptionEntryId: z.uuid(),
});

/** An overdue action of the CLSM, as the coordinator's list shows it. */
export const overdueActionSchema = z.object({ id: z.uuid(), reference: z.string(), dueOn: z.iso.date() });
