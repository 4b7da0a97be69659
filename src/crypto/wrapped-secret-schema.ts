import { z } from 'zod';
// The floor comes from its own module: importing key-backup.ts would load libsodium into the server.
import { MIN_MEMLIMIT, MIN_OPSLIMIT } from './kdf-floor.js';

/** The shape of a passphrase-wrapped secret, as stored server-side; the floors are checked here too. */
export const wrappedSecretSchema = z.strictObject({
  v: z.literal(1),
  alg: z.literal('argon2id13+xchacha20poly1305'),
  opslimit: z.number().int().min(MIN_OPSLIMIT).max(64),
  memlimit: z
    .number()
    .int()
    .min(MIN_MEMLIMIT)
    .max(4 * 1024 * 1024 * 1024),
  salt: z.base64().max(64),
  nonce: z.base64().max(64),
  ciphertext: z.base64().max(512),
});
