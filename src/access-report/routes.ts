import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { idParams } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { accessReport, toCsv } from './report.js';
import { situationByReference } from './lookup.js';
import { accessReportSchema, referenceParams, situationFoundSchema } from './wire-schema.js';

export function registerAccessReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/cases/:id/access-report',
    {
      schema: {
        tags: ['audit'],
        summary:
          "Who read or changed this person's file, when, in what role, on which legal basis (coordinator, DPO); JSON, or CSV with Accept: text/csv",
        params: idParams,
        response: {
          200: accessReportSchema,
          ...problems(...AUTHENTICATED, 'NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const report = await accessReport(ctx, callerOf(request), request.params.id);
      if ((request.headers.accept ?? '').includes('text/csv')) {
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="acces-${report.reference}.csv"`)
            // A string body with its own content type goes out as is: the JSON schema is not applied.
            .send(toCsv(report.lines))
        );
      }
      return {
        reference: report.reference,
        lines: report.lines.map((l) => ({ ...l, at: l.at.toISOString() })),
      };
    },
  );

  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/cases/by-reference/:reference',
    {
      schema: {
        tags: ['audit'],
        summary:
          'The situation a reference names, for whoever answers the person about its access report (coordinator, DPO): its id, no content',
        params: referenceParams,
        response: {
          200: situationFoundSchema,
          ...problems(...AUTHENTICATED, 'NOT_FOUND', 'VALIDATION_FAILED'),
        },
      },
    },
    (request) => situationByReference(ctx, callerOf(request), request.params.reference),
  );
}
