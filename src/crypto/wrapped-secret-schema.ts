import { z } from 'zod';
import { MAX_MEMLIMIT, MAX_OPSLIMIT, MIN_MEMLIMIT, MIN_OPSLIMIT } from './kdf-floor.js';

/** The shape of a passphrase-wrapped secret, as stored server-side; the floors and ceilings are checked here too. */
export const wrappedSecretSchema = z.strictObject({
  v: z.literal(1),
  alg: z.literal('argon2id13+xchacha20poly1305'),
  opslimit: z.number().int().min(MIN_OPSLIMIT).max(MAX_OPSLIMIT),
  memlimit: z.number().int().min(MIN_MEMLIMIT).max(MAX_MEMLIMIT),
  salt: z.base64().max(64),
  nonce: z.base64().max(64),
  ciphertext: z.base64().max(512),
});
