import { z } from 'zod';

// What the API answers when a year is released, or when its release waits for a second person.
// The routes declare these schemas and the SDK takes its types from them.

export const releasedSchema = z.object({
  year: z.number().int(),
  catalogueVersion: z.string(),
  contentHash: z.string(),
  releasedAt: z.iso.datetime(),
  tables: z.array(z.object({ id: z.string(), status: z.enum(['published', 'withheld']) })),
});

export const awaitingApprovalSchema = z.object({
  year: z.number().int(),
  status: z.literal('approval_required'),
  requestedBy: z.uuid(),
  requestedAt: z.iso.datetime(),
  /** Situations whose person's categories were declared or changed in the window. */
  changedSituations: z.number().int(),
  windowDays: z.number().int(),
  threshold: z.number().int(),
});
