import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { b64 } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { acceptCharter, listCharterVersions, publishCharter, readCharter } from './charter.js';
import { charterSchema, charterVersionSchema } from './wire-schema.js';

const versionBody = z.strictObject({ version: z.number().int().positive().max(10_000) });

export function registerCharterRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/charter',
    {
      schema: {
        tags: ['charter'],
        summary: 'The charte éthique currently in force, and whether you accepted it',
        response: {
          200: charterSchema,
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const c = await readCharter(ctx.db, ctx.policies, ctx.charters, callerOf(request));
      return {
        version: c.version,
        text: c.text,
        sha256: b64(c.sha256),
        publishedAt: c.publishedAt.toISOString(),
        accepted: c.accepted,
      };
    },
  );

  r.get(
    '/v1/charter/versions',
    {
      schema: {
        tags: ['charter'],
        summary:
          'Every version of the charte éthique shipped with the service, when this CLSM published it and how many members accepted it (coordinator)',
        response: {
          200: z.object({ versions: z.array(charterVersionSchema) }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const versions = await listCharterVersions(ctx.db, ctx.policies, ctx.charters, callerOf(request));
      return {
        versions: versions.map((v) => ({
          version: v.version,
          text: v.text,
          sha256: b64(v.sha256),
          publishedAt: v.publishedAt?.toISOString() ?? null,
          acceptances: v.acceptances,
        })),
      };
    },
  );

  r.post(
    '/v1/charter/accept',
    {
      schema: {
        tags: ['charter'],
        summary: 'Accept the current version of the charte éthique',
        body: versionBody,
        response: { 204: z.null(), ...problems(...AUTHENTICATED, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      await acceptCharter(ctx.db, ctx.policies, callerOf(request), request.body.version);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/charter/publish',
    {
      schema: {
        tags: ['charter'],
        summary: 'Publish a new version of the charte éthique (coordinator): everyone must accept it again',
        body: versionBody,
        response: { 204: z.null(), ...problems(...AUTHENTICATED, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      await publishCharter(ctx.db, ctx.policies, ctx.charters, callerOf(request), request.body.version);
      return reply.code(204).send(null);
    },
  );
}
