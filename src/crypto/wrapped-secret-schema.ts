import { z } from 'zod';
import { MAX_MEMLIMIT, MAX_OPSLIMIT, MIN_MEMLIMIT, MIN_OPSLIMIT } from './kdf-floor.js';

/** A backup's Argon2id parameters and salt; the floors and ceilings are checked here too. */
export const backupKdfSchema = z.strictObject({
  opslimit: z.number().int().min(MIN_OPSLIMIT).max(MAX_OPSLIMIT),
  memlimit: z.number().int().min(MIN_MEMLIMIT).max(MAX_MEMLIMIT),
  salt: z.base64().max(64),
});

/**
 * The shape of a key backup as stored server-side (format v2: its Argon2id run also gives the
 * authentication key whose verifier is stored with it, src/crypto/key-backup.ts).
 */
export const wrappedBackupSchema = backupKdfSchema.extend({
  v: z.literal(2),
  alg: z.literal('argon2id13+xchacha20poly1305'),
  nonce: z.base64().max(64),
  ciphertext: z.base64().max(512),
});
