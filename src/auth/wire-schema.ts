import { z } from 'zod';
import { roleSchema } from '../kernel/roles.js';

// Logging in and asking who one is, as the API answers: the routes declare these schemas and the
// SDK takes its types from them.

export const challengeSchema = z.object({
  challengeId: z.uuid(),
  nonce: z.string(),
  expiresAt: z.iso.datetime(),
});

export const accessTokenSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.iso.datetime(),
});

export const meSchema = z.object({
  memberId: z.uuid(),
  tenantId: z.uuid(),
  role: roleSchema,
  organisation: z.string(),
  charterAccepted: z.boolean(),
});
