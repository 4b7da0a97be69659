import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { wrappedBackupSchema } from '../crypto/wrapped-secret-schema.js';
import { bytes, idParams, keyVersionSchema } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { issueRecoveryCode, storeBackup } from './key-backup.js';
import { openRecovery, releaseBackup, replaceKeys } from './recovery.js';
import { issuedCodeSchema, recoveredBackupSchema, recoveryOpenedSchema } from './wire-schema.js';

const code = z.string().min(8).max(64);
/** The authentication key derived from the passphrase with the backup's wrapping key. */
const proof = bytes({ length: 32 });
const backup = z.strictObject({ blob: wrappedBackupSchema, verifier: bytes({ length: 32 }) });

export function registerRecoveryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const publicRoute = {
    public: true,
    rateLimit: { max: ctx.config.http.authRateLimitMax, timeWindow: '1 minute' },
  };

  r.put(
    '/v1/me/key-backup',
    {
      schema: {
        tags: ['members'],
        summary:
          'Store a backup of your secret keys, wrapped on your device under your passphrase (Argon2id), with the verifier of its authentication key',
        body: backup.extend({ keyVersion: keyVersionSchema }),
        response: { 204: z.null(), ...problems(...AUTHENTICATED) },
      },
    },
    async (request, reply) => {
      const { keyVersion, blob, verifier } = request.body;
      await storeBackup(ctx, callerOf(request), keyVersion, blob, verifier);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/members/:id/recovery-codes',
    {
      schema: {
        tags: ['members'],
        summary:
          'Vouch for a member who lost their device (coordinator): a one-time code that, with their passphrase, unlocks their key backup',
        params: idParams,
        response: {
          201: issuedCodeSchema,
          ...problems(...AUTHENTICATED, 'NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const issued = await issueRecoveryCode(ctx, callerOf(request), request.params.id);
      return reply.code(201).send({ code: issued.code, expiresAt: issued.expiresAt.toISOString() });
    },
  );

  r.post(
    '/v1/recover',
    {
      config: publicRoute,
      schema: {
        tags: ['members'],
        summary:
          'Open a recovery code: whose backup it unlocks and the Argon2id parameters and salt to derive its keys with (no ciphertext)',
        body: z.strictObject({ code }),
        response: {
          200: recoveryOpenedSchema,
          ...problems('ENROLLMENT_CODE_INVALID', 'CONFLICT'),
        },
      },
    },
    async (request) => {
      const { clsmId, ...rest } = await openRecovery(ctx, request.body.code, request.id);
      return { ...rest, tenantId: clsmId };
    },
  );

  r.post(
    '/v1/recover/backup',
    {
      config: publicRoute,
      schema: {
        tags: ['members'],
        summary:
          'Redeem a recovery code with the authentication key derived from the passphrase: the wrapped key backup (a few wrong keys spend the code)',
        body: z.strictObject({ code, proof }),
        response: {
          200: recoveredBackupSchema,
          ...problems('ENROLLMENT_CODE_INVALID', 'CONFLICT'),
        },
      },
    },
    async (request) => {
      const { clsmId, ...rest } = await releaseBackup(ctx, request.body.code, request.body.proof, request.id);
      return { ...rest, tenantId: clsmId };
    },
  );

  r.post(
    '/v1/recover/keys',
    {
      config: publicRoute,
      schema: {
        tags: ['members'],
        summary:
          'End a recovery: new device keys, self-signed and signed by the keys they replace, with their backup; ends every session of the member',
        body: z.strictObject({
          code,
          proof,
          keys: z.strictObject({
            version: keyVersionSchema,
            signPublicKey: bytes({ length: 32 }),
            boxPublicKey: bytes({ length: 32 }),
            selfSignature: bytes({ length: 64 }),
          }),
          continuitySignature: bytes({ length: 64 }),
          backup,
        }),
        response: {
          201: z.object({ keyVersion: z.number().int() }),
          ...problems('ENROLLMENT_CODE_INVALID', 'CONFLICT', 'BAD_SIGNATURE', 'KEY_VERSION_MISMATCH'),
        },
      },
    },
    async (request, reply) => {
      const { code: presented, proof: key, keys, continuitySignature, backup: next } = request.body;
      const replaced = await replaceKeys(
        ctx,
        presented,
        key,
        { ...keys, continuitySignature, backup: next },
        request.id,
      );
      return reply.code(201).send(replaced);
    },
  );
}
