import { z } from 'zod';

// The CLSM's settings as the API answers them; the SDK takes its type from this schema.

export const clsmSettingsSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  /** Days a closed situation is kept before it is erased. */
  retentionDays: z.number().int(),
  /** How long a legal exception to consent lasts unless shortened. */
  exceptionDefaultHours: z.number().int(),
  /** A release waits for a second person past this many categories changed in this many days. */
  statistics: z.object({ approvalWindowDays: z.number().int(), approvalThreshold: z.number().int() }),
});
