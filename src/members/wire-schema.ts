import { z } from 'zod';
import { backupKdfSchema, wrappedBackupSchema } from '../crypto/wrapped-secret-schema.js';
import { roleSchema } from '../kernel/roles.js';

// Members as the API answers: invitations, enrollment, the directory, a recovered key backup. The
// routes declare these schemas and the SDK takes its types from them.

/** What an enrollment code invites to, before it is used. */
export const invitationSchema = z.object({
  tenantId: z.uuid(),
  memberId: z.uuid(),
  role: roleSchema,
  organisation: z.string(),
  displayName: z.string(),
  expiresAt: z.iso.datetime(),
});

export const enrolledSchema = z.object({
  memberId: z.uuid(),
  tenantId: z.uuid(),
  role: roleSchema,
  organisation: z.string(),
  displayName: z.string(),
});

/** A one-time code handed over by hand: an enrollment or a recovery code. */
export const issuedCodeSchema = z.object({ code: z.string(), expiresAt: z.iso.datetime() });

export const memberKeysSchema = z.object({
  version: z.number().int(),
  signPublicKey: z.string(),
  boxPublicKey: z.string(),
  selfSignature: z.string(),
});

/** A member as the directory lists them, with their current public keys (base64). */
export const directoryMemberSchema = z.object({
  id: z.uuid(),
  role: roleSchema,
  organisation: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'suspended']),
  keys: memberKeysSchema.nullable(),
});

/** Whose backup a recovery code unlocks, and how to derive its keys: no ciphertext. */
export const recoveryOpenedSchema = z.object({
  tenantId: z.uuid(),
  memberId: z.uuid(),
  role: roleSchema,
  keyVersion: z.number().int(),
  kdf: backupKdfSchema,
});

/** The wrapped backup, released against the code and the passphrase's authentication key. */
export const recoveredBackupSchema = recoveryOpenedSchema.omit({ kdf: true, role: true }).extend({
  blob: wrappedBackupSchema,
});
