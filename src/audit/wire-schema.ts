import { z } from 'zod';

// The audit log's head as the API answers it: the routes declare this schema and the SDK, which
// holds the head against what the device saw before, takes its type from it.

export const auditHeadSchema = z.object({
  checkpoint: z
    .object({
      seq: z.number().int(),
      hash: z.string(),
      signedAt: z.iso.datetime(),
      keyId: z.string(),
      publicKey: z.string(),
      signature: z.string(),
    })
    .nullable(),
  known: z.object({ seq: z.number().int(), hash: z.string().nullable() }).nullable(),
});
