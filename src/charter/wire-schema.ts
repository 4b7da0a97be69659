import { z } from 'zod';

// The current charter as the API answers it; the SDK takes its type from this schema.

export const charterSchema = z.object({
  version: z.number().int(),
  text: z.string(),
  sha256: z.string(),
  publishedAt: z.iso.datetime(),
  accepted: z.boolean(),
});
