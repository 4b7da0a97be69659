import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { idParams, uuid } from '../http/schemas.js';
import { logSealWire } from '../case-log/wire-schema.js';
import { AUTHENTICATED, LOGGED, ON_A_SITUATION, problems } from '../http/responses.js';
import { declineReasonSchema, outcomeSchema, problemCategorySchema } from '../stats/vocabulary/categories.js';
import { personFactsSchema } from '../stats/vocabulary/person-facts.js';
import { URGENCIES } from './schema.js';
import { declareCaseStatistics, referCase, transitionCase } from './service.js';
import { listCases, readCase } from './view.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { caseListItemSchema, caseViewSchema, referredSchema, transitionedSchema } from './wire-schema.js';

// A situation itself: its referral, the file active, its view, its lifecycle and its categories for
// the bilan. Who takes part in it: participant-routes.ts.

export function registerCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Refer a situation (fiche de saisine): its content goes, encrypted, into its compartments',
        body: z.strictObject({
          id: uuid,
          reasonCategory: problemCategorySchema,
          urgency: z.enum(URGENCIES),
          // Coarse categories only, for the anonymised bilan (docs/statistics.md).
          statistics: personFactsSchema.optional(),
          log: logSealWire,
        }),
        response: {
          201: referredSchema,
          ...problems(...AUTHENTICATED, ...LOGGED, 'CONFLICT'),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await referCase(ctx, callerOf(request), request.body)),
  );

  r.get(
    '/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The situations you take part in (all of them, for the coordinator), newest first, a page at a time: references and status only',
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            cases: z.array(caseListItemSchema),
            nextCursor: nextCursorSchema,
          }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, 'cases', caller.memberId, keys.timeAndId);
      const rows = await listCases(ctx, caller, { after, limit });
      const page = pageOf(
        'cases',
        caller.memberId,
        rows.map(({ listedAt, ...c }) => ({
          key: [listedAt, c.id],
          item: {
            ...c,
            referredAt: c.referredAt.toISOString(),
            nextSittingAt: c.nextSittingAt?.toISOString() ?? null,
          },
        })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { cases: page.items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary:
          'A situation: status, history, participants, compartments; its reason, consent and exceptions as the policy shows them to you',
        params: idParams,
        response: { 200: caseViewSchema, ...problems(...ON_A_SITUATION) },
      },
    },
    async (request) => {
      const v = await readCase(ctx, callerOf(request), request.params.id);
      const iso = (d: Date | null) => (d === null ? null : d.toISOString());
      return {
        id: v.row.id,
        reference: v.row.reference,
        status: v.row.status,
        urgency: v.row.urgency,
        reasonCategory: v.row.reason_category,
        referredBy: v.row.referred_by,
        referredAt: v.row.referred_at.toISOString(),
        decidedAt: iso(v.row.decided_at),
        closedAt: iso(v.row.closed_at),
        declineReason: v.row.decline_reason,
        outcome: v.row.outcome_category,
        retentionUntil: iso(v.row.retention_until),
        history: v.history.map((h) => ({ ...h, at: h.at.toISOString() })),
        participants: v.participants,
        compartments: v.compartments,
        pendingGrants: v.pendingGrants,
        consent: v.consent,
        exceptions: v.exceptions,
      };
    },
  );

  r.put(
    '/v1/cases/:id/statistics',
    {
      schema: {
        tags: ['cases'],
        summary:
          "Declare or correct the person's coarse categories for the anonymised bilan (participants bound by secrecy, coordinator)",
        params: idParams,
        body: personFactsSchema,
        response: { 204: z.null(), ...problems(...ON_A_SITUATION) },
      },
    },
    async (request, reply) => {
      await declareCaseStatistics(ctx, callerOf(request), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );

  const transitions = [
    ['accept', z.strictObject({})],
    ['advance', z.strictObject({})],
    ['decline', z.strictObject({ reason: declineReasonSchema })],
    ['close', z.strictObject({ outcome: outcomeSchema })],
  ] as const;
  for (const [transition, body] of transitions) {
    r.post(
      `/v1/cases/:id/${transition}`,
      {
        schema: {
          tags: ['cases'],
          summary: `${transition[0]?.toUpperCase() ?? ''}${transition.slice(1)} the situation (coordinator)`,
          params: idParams,
          body,
          response: {
            200: transitionedSchema,
            ...problems(...ON_A_SITUATION, 'INVALID_TRANSITION', 'CONFLICT'),
          },
        },
      },
      async (request) => {
        const b = request.body as { reason?: string; outcome?: string };
        return {
          status: await transitionCase(
            ctx,
            callerOf(request),
            request.params.id,
            transition,
            b.reason ?? b.outcome,
          ),
        };
      },
    );
  }
}
