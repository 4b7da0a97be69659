import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { callerOf } from '../http/caller.js';
import { idParams, uuid } from '../http/schemas.js';
import { AUTHENTICATED, ON_A_SITUATION, problems } from '../http/responses.js';
import { declineReasonSchema, outcomeSchema, problemCategorySchema } from '../stats/vocabulary/categories.js';
import { personFactsSchema } from '../stats/vocabulary/person-facts.js';
import { URGENCIES } from './schema.js';
import { declareCaseStatistics, referCase, transitionCase } from './service.js';
import { listCases, readCase } from './view.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { addParticipant, removeParticipant, unassignCompartment } from './participants.js';
import {
  approveParticipantRequest,
  listParticipantRequests,
  refuseParticipantRequest,
} from './participant-requests.js';
import {
  caseListItemSchema,
  caseViewSchema,
  participantRequestSchema,
  pendingAdditionSchema,
  referredSchema,
  transitionedSchema,
} from './wire-schema.js';

const compartment = z.enum(COMPARTMENTS);

export function registerCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Refer a situation (fiche de saisine): its content goes, encrypted, into its compartments',
        body: z.strictObject({
          reasonCategory: problemCategorySchema,
          urgency: z.enum(URGENCIES),
          // Coarse categories only, for the anonymised bilan (docs/statistics.md).
          statistics: personFactsSchema.optional(),
        }),
        response: {
          201: referredSchema,
          ...problems(...AUTHENTICATED),
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

  r.post(
    '/v1/cases/:id/participants',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Add a participant, with the compartments they need to know (all by default, within the policy); adding oneself, or (the coordinator, taking no part in it) a health professional or social worker, waits for a second participant bound by secrecy: 202 and the request',
        params: idParams,
        body: z.strictObject({ memberId: uuid, compartments: z.array(compartment).max(5).optional() }),
        response: {
          202: pendingAdditionSchema,
          204: z.null(),
          ...problems(...ON_A_SITUATION, 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const addition = await addParticipant(
        ctx,
        callerOf(request),
        request.params.id,
        request.body.memberId,
        request.body.compartments,
      );
      if (addition.status === 'pending') return reply.code(202).send({ requestId: addition.requestId });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v1/cases/:id/participant-requests',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The additions to a situation that wait for a second participant bound by secrecy, oldest first',
        params: idParams,
        response: {
          200: z.object({ requests: z.array(participantRequestSchema) }),
          ...problems(...ON_A_SITUATION),
        },
      },
    },
    async (request) => ({
      requests: (await listParticipantRequests(ctx, callerOf(request), request.params.id)).map((r) => ({
        ...r,
        requestedAt: r.requestedAt.toISOString(),
      })),
    }),
  );

  const decisions = [
    [
      'approve',
      'Approve a pending addition (a participant bound by secrecy; never the one who asked nor the one it adds): the member takes part from now on',
    ],
    [
      'refuse',
      'Turn down a pending addition (the coordinator, a participant bound by secrecy), or withdraw it (the one who asked)',
    ],
  ] as const;
  for (const [decision, summary] of decisions) {
    r.post(
      `/v1/cases/:id/participant-requests/:requestId/${decision}`,
      {
        schema: {
          tags: ['cases'],
          summary,
          params: z.strictObject({ id: uuid, requestId: uuid }),
          response: { 204: z.null(), ...problems(...ON_A_SITUATION, 'CONFLICT') },
        },
      },
      async (request, reply) => {
        const { id, requestId } = request.params;
        if (decision === 'approve') await approveParticipantRequest(ctx, callerOf(request), id, requestId);
        else await refuseParticipantRequest(ctx, callerOf(request), id, requestId);
        return reply.code(204).send(null);
      },
    );
  }

  r.delete(
    '/v1/cases/:id/participants/:memberId',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Remove a participant: their keys are deleted at once, the compartments they held must be rotated',
        params: z.strictObject({ id: uuid, memberId: uuid }),
        response: { 204: z.null(), ...problems(...ON_A_SITUATION) },
      },
    },
    async (request, reply) => {
      await removeParticipant(ctx, callerOf(request), request.params.id, request.params.memberId);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/v1/cases/:id/participants/:memberId/compartments/:compartment',
    {
      schema: {
        tags: ['cases'],
        summary: "Take one compartment out of a participant's need-to-know (revokes their keys to it)",
        params: z.strictObject({ id: uuid, memberId: uuid, compartment }),
        response: { 204: z.null(), ...problems(...ON_A_SITUATION) },
      },
    },
    async (request, reply) => {
      await unassignCompartment(
        ctx,
        callerOf(request),
        request.params.id,
        request.params.memberId,
        request.params.compartment,
      );
      return reply.code(204).send(null);
    },
  );
}
