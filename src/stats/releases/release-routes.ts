import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../http/caller.js';
import type { AppContext } from '../../context.js';
import { AUTHENTICATED, problems } from '../../http/responses.js';
import { approveRelease, releaseYear, type ReleaseSummary } from './release-service.js';
import { awaitingApprovalSchema, releasedSchema } from './wire-schema.js';

// On the API server: the coordinator releases a year, or, when the year's inputs changed in bulk
// just before, asks for a second person's approval. Reading releases is the statistics server's.

const yearParams = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be a calendar year, YYYY')
    .transform(Number),
});
const sent = (r: ReleaseSummary) => ({ ...r, releasedAt: r.releasedAt.toISOString() });

export function registerReleaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/stats/releases',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Release and freeze the bilan of a past calendar year (coordinator); once per year, never changed. 202: it waits for a second person',
        body: z.strictObject({ year: z.number().int().min(2000).max(9999) }),
        response: {
          201: releasedSchema,
          202: awaitingApprovalSchema,
          ...problems(...AUTHENTICATED, 'RELEASE_EXISTS', 'YEAR_NOT_OVER'),
        },
      },
    },
    async (request, reply) => {
      const answer = await releaseYear(ctx, callerOf(request), request.body.year);
      if (answer.status === 'released') return reply.code(201).send(sent(answer.release));
      const pending = answer.request;
      return reply.code(202).send({
        ...pending,
        status: 'approval_required' as const,
        requestedAt: pending.requestedAt.toISOString(),
      });
    },
  );

  r.post(
    '/v1/stats/releases/:year/approval',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Approve the release of a year that waits for a second person (another coordinator, or the DPO), and release it',
        params: yearParams,
        response: { 201: releasedSchema, ...problems(...AUTHENTICATED, 'NOT_FOUND', 'RELEASE_EXISTS') },
      },
    },
    async (request, reply) =>
      reply.code(201).send(sent(await approveRelease(ctx, callerOf(request), request.params.year))),
  );
}
