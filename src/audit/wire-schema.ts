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

/**
 * Signed checkpoints in their portable form, self-describing with the public key: the export a
 * coordinator or DPO keeps outside the database, and what the DPO brings back to verify against.
 */
export const checkpointFileSchema = z.object({
  format: z.literal('clsm-audit-checkpoints/1'),
  tenant: z.uuid(),
  // base64url of a key's SPKI digest (src/auth/tokens.ts keyIdOf): nothing else belongs here.
  keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a key id (base64url)'),
  publicKey: z.base64(),
  checkpoints: z.array(
    z.object({
      seq: z.number().int().positive(),
      hash: z.base64(),
      signedAt: z.iso.datetime(),
      signature: z.base64(),
    }),
  ),
});

/** Where a chain breaks, as a code (src/audit/verify.ts says when each applies). */
export const BREAK_REASONS = ['unsigned', 'missing', 'unlinked', 'modified', 'contradicted', 'cut'] as const;

export const verdictSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  lastSeq: z.number().int(),
  checkpointsChecked: z.number().int(),
  firstBadSeq: z.number().int().optional(),
  reason: z.enum(BREAK_REASONS).optional(),
  relatedSeq: z.number().int().optional(),
  problem: z.string().optional(),
});
