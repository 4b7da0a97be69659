import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { wrappedSecretSchema } from '../crypto/wrapped-secret-schema.js';
import { idParams, keyVersionSchema } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { issueRecoveryCode, recoverBackup, storeBackup } from './key-backup.js';
import { issuedCodeSchema, recoveredBackupSchema } from './wire-schema.js';

export function registerRecoveryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/v1/me/key-backup',
    {
      schema: {
        tags: ['members'],
        summary:
          'Store a backup of your secret keys, wrapped on your device under your passphrase (Argon2id)',
        body: z.strictObject({ keyVersion: keyVersionSchema, blob: wrappedSecretSchema }),
        response: { 204: z.null(), ...problems(...AUTHENTICATED) },
      },
    },
    async (request, reply) => {
      await storeBackup(ctx, callerOf(request), request.body.keyVersion, request.body.blob);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/members/:id/recovery-codes',
    {
      schema: {
        tags: ['members'],
        summary:
          'Vouch for a member who lost their device (coordinator): a one-time code unlocking their key backup',
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
      config: { public: true, rateLimit: { max: ctx.config.http.authRateLimitMax, timeWindow: '1 minute' } },
      schema: {
        tags: ['members'],
        summary:
          'Redeem a recovery code: returns the wrapped key backup, to open with the passphrase on the new device',
        body: z.strictObject({ code: z.string().min(8).max(64) }),
        response: {
          200: recoveredBackupSchema,
          ...problems('ENROLLMENT_CODE_INVALID'),
        },
      },
    },
    async (request) => {
      const recovered = await recoverBackup(ctx, request.body.code, request.id);
      const { clsmId, ...rest } = recovered;
      return { ...rest, tenantId: clsmId, blob: wrappedSecretSchema.parse(recovered.blob) };
    },
  );
}
