import { z } from 'zod';
import { nextCursorSchema } from '../http/page-schema.js';
import { ENTRY_KINDS } from './schema.js';

// A compartment as the API answers it: entries as stored (ciphertext, base64) and the caller's own
// wrapped keys. The routes declare these schemas; the SDK takes its types from them.

export const entrySchema = z.object({
  id: z.uuid(),
  keyVersion: z.number().int(),
  authorId: z.uuid(),
  kind: z.enum(ENTRY_KINDS),
  refersTo: z.uuid().nullable(),
  nonce: z.string(),
  ciphertext: z.string(),
  signature: z.string(),
  createdAt: z.iso.datetime(),
});

export const grantSchema = z.object({
  keyVersion: z.number().int(),
  granterId: z.uuid(),
  granteeKeyVersion: z.number().int(),
  sealedKey: z.string(),
  signature: z.string(),
});

export const compartmentPageSchema = z.object({
  keyVersion: z.number().int(),
  rotationRequired: z.boolean(),
  entries: z.array(entrySchema),
  nextCursor: nextCursorSchema,
  grants: z.array(grantSchema),
});
