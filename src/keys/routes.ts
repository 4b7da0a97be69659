import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { bytes, compartmentParams, keyVersionSchema, uuid } from '../http/schemas.js';
import { LOGGED, ON_A_COMPARTMENT, problems } from '../http/responses.js';
import { logSealWire } from '../case-log/wire-schema.js';
import { giveGrant } from './grants.js';
import { rotateKey } from './rotation.js';

const grantInput = z.strictObject({
  granteeId: uuid,
  granteeKeyVersion: keyVersionSchema,
  sealedKey: bytes({ length: 80 }),
  signature: bytes({ length: 64 }),
});

export function registerKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/v1/cases/:id/compartments/:compartment';

  r.post(
    `${base}/keys`,
    {
      schema: {
        tags: ['keys'],
        summary:
          'Create the next version of the compartment key, sealed to every entitled member (and no one else)',
        params: compartmentParams,
        body: z.strictObject({
          keyVersion: keyVersionSchema,
          grants: z
            .array(grantInput)
            .min(1, 'is empty: nobody on the situation may hold this compartment yet')
            .max(200),
          log: logSealWire.optional(),
        }),
        response: {
          201: z.object({ keyVersion: z.number().int() }),
          ...problems(...ON_A_COMPARTMENT, ...LOGGED, 'KEY_VERSION_MISMATCH', 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const { id, compartment } = request.params;
      const { keyVersion, grants, log } = request.body;
      await rotateKey(ctx, callerOf(request), id, compartment, keyVersion, grants, log);
      return reply.code(201).send({ keyVersion: request.body.keyVersion });
    },
  );

  r.post(
    `${base}/grants`,
    {
      schema: {
        tags: ['keys'],
        summary: 'Give a version of the compartment key to a participant the policy (and consent) allows',
        params: compartmentParams,
        body: grantInput.extend({ keyVersion: keyVersionSchema }),
        response: {
          201: z.object({ keyVersion: z.number().int(), granteeId: uuid }),
          ...problems(
            ...ON_A_COMPARTMENT,
            'BAD_SIGNATURE',
            'ROTATION_REQUIRED',
            'KEY_VERSION_MISMATCH',
            'CONFLICT',
          ),
        },
      },
    },
    async (request, reply) => {
      const { id, compartment } = request.params;
      const { keyVersion, ...grant } = request.body;
      await giveGrant(ctx, callerOf(request), id, compartment, keyVersion, grant);
      return reply.code(201).send({ keyVersion, granteeId: grant.granteeId });
    },
  );
}
