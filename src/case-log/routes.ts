import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { idParams } from '../http/schemas.js';
import { ON_A_SITUATION, problems } from '../http/responses.js';
import { by } from '../kernel/audit-events.js';
import { withCaseStatement } from '../unit-of-work/case-unit.js';
import { readCaseLog } from './log.js';
import { caseLogPageSchema, caseLogToWire } from './wire-schema.js';

const PAGE_MAX = 500;

export function registerCaseLogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/cases/:id/log',
    {
      schema: {
        tags: ['cases'],
        summary:
          "A situation's membership log, oldest first: the signed statements of who takes part, the key versions, the consent and the legal exceptions (whoever sees the situation)",
        params: idParams,
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(PAGE_MAX),
        }),
        response: { 200: caseLogPageSchema, ...problems(...ON_A_SITUATION) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const { after, limit } = request.query;
      return withCaseStatement(ctx, caller, { caseId: id, action: 'case.read' }, async (db, scope) => {
        const rows = await readCaseLog(db, caller.clsmId, id, { after, limit: limit + 1 });
        const entries = rows.slice(0, limit);
        scope.audit({
          ...by(caller),
          type: 'case.read',
          outcome: 'success',
          caseId: id,
          resourceType: 'case_log',
        });
        return {
          entries: entries.map(caseLogToWire),
          nextAfter: rows.length > limit ? (entries.at(-1)?.seq ?? null) : null,
        };
      });
    },
  );
}
