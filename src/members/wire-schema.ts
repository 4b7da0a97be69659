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

/** An invitation whose code the inviter's device made: the server knows its id, never its code. */
export const invitationIssuedSchema = z.object({
  invitationId: z.uuid(),
  memberId: z.uuid(),
  expiresAt: z.iso.datetime(),
});

/** A one-time code handed over by hand: a first coordinator's or a recovery code. */
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
  /** The invitation they enrolled with (its inviter derives the code's secret from it), if any. */
  invitationId: z.uuid().nullable(),
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
