import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { releaseYear } from './release-service.js';

/** On the API server: the coordinator releases a year. Reading releases is the statistics server's. */
export function registerReleaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/stats/releases',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Release and freeze the bilan of a past calendar year (coordinator); once per year, never changed',
        body: z.strictObject({ year: z.number().int().min(2000).max(9999) }),
        response: {
          201: z.object({
            year: z.number().int(),
            catalogueVersion: z.string(),
            contentHash: z.string(),
            releasedAt: z.iso.datetime(),
            tables: z.array(z.object({ id: z.string(), status: z.enum(['published', 'withheld']) })),
          }),
          ...problems(...AUTHENTICATED, 'RELEASE_EXISTS', 'YEAR_NOT_OVER'),
        },
      },
    },
    async (request, reply) => {
      const released = await releaseYear(ctx, callerOf(request), request.body.year);
      return reply.code(201).send({ ...released, releasedAt: released.releasedAt.toISOString() });
    },
  );
}
