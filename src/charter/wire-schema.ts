import { z } from 'zod';

// The current charter and the shipped versions as the API answers them; the SDK takes its type from this schema.

export const charterSchema = z.object({
  version: z.number().int(),
  text: z.string(),
  sha256: z.string(),
  publishedAt: z.iso.datetime(),
  accepted: z.boolean(),
});

/** A version shipped with the service; `publishedAt` null until this CLSM publishes it. */
export const charterVersionSchema = z.object({
  version: z.number().int(),
  text: z.string(),
  sha256: z.string(),
  publishedAt: z.iso.datetime().nullable(),
  acceptances: z.number().int(),
});
