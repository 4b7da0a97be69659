import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { idParams } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { ADHESION } from './schema.js';
import { setAdhesion, updateActionStatus } from './follow-up.js';
import { myActions, overdueActions } from './action-lists.js';
import { caseDecisionSchema, myActionSchema, overdueActionSchema } from './wire-schema.js';
import { decisionsOfCase } from './case-decisions.js';

export function registerActionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/actions/mine',
    {
      schema: {
        tags: ['sittings'],
        summary: 'My follow-up actions across situations, by due date (overdue first), a page at a time',
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            actions: z.array(myActionSchema),
            nextCursor: nextCursorSchema,
          }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, 'actions.mine', caller.memberId, keys.dateAndId);
      const page = pageOf(
        'actions.mine',
        caller.memberId,
        (await myActions(ctx, caller, { after, limit })).map((a) => ({
          key: [a.due_on, a.id],
          item: {
            id: a.id,
            caseId: a.case_id,
            reference: a.reference,
            dueOn: a.due_on,
            overdue: a.overdue,
            descriptionEntryId: a.description_entry_id,
          },
        })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { actions: page.items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/actions/overdue',
    {
      schema: {
        tags: ['sittings'],
        summary:
          'Overdue actions of the CLSM (coordinator), by due date, a page at a time: references and dates only',
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            actions: z.array(overdueActionSchema),
            nextCursor: nextCursorSchema,
          }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, 'actions.overdue', caller.clsmId, keys.dateAndId);
      const page = pageOf(
        'actions.overdue',
        caller.clsmId,
        (await overdueActions(ctx, caller, { after, limit })).map((a) => ({
          key: [a.due_on, a.id],
          item: { id: a.id, reference: a.reference, dueOn: a.due_on },
        })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { actions: page.items, nextCursor: page.nextCursor };
    },
  );

  r.post(
    '/v1/actions/:id/status',
    {
      schema: {
        tags: ['sittings'],
        summary: 'Report an action done or cancelled (its assignee, or the coordinator)',
        params: idParams,
        body: z.strictObject({ status: z.enum(['done', 'cancelled']) }),
        response: { 204: z.null(), ...problems(...AUTHENTICATED, 'NOT_FOUND', 'CONFLICT') },
      },
    },
    async (request, reply) => {
      await updateActionStatus(ctx, callerOf(request), request.params.id, request.body.status);
      return reply.code(204).send(null);
    },
  );

  r.put(
    '/v1/decisions/:id/adhesion',
    {
      schema: {
        tags: ['sittings'],
        summary: "Record the person's adhesion to a decision, once asked (coordinator)",
        params: idParams,
        body: z.strictObject({ adhesion: z.enum(ADHESION) }),
        response: { 204: z.null(), ...problems(...AUTHENTICATED, 'NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await setAdhesion(ctx, callerOf(request), request.params.id, request.body.adhesion);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v1/cases/:id/decisions',
    {
      schema: {
        tags: ['sittings'],
        summary:
          "A situation's decisions across its sittings, oldest first (whoever reads its committee compartment); at most 500",
        params: idParams,
        response: {
          200: z.object({ decisions: z.array(caseDecisionSchema) }),
          ...problems(...AUTHENTICATED, 'NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const decisions = await decisionsOfCase(ctx, callerOf(request), request.params.id);
      return { decisions: decisions.map((d) => ({ ...d, decidedAt: d.decidedAt.toISOString() })) };
    },
  );

  r.put(
    '/v1/decisions/:id/answer',
    {
      schema: {
        tags: ['sittings'],
        summary:
          "The person's own answer to a decision about them: they agree or disagree (the person; their words go, encrypted, in their own space)",
        params: idParams,
        body: z.strictObject({ adhesion: z.enum(['agrees', 'disagrees']) }),
        response: { 204: z.null(), ...problems(...AUTHENTICATED, 'NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const { adhesion } = request.body;
      await setAdhesion(ctx, callerOf(request), request.params.id, adhesion, 'decision.answer');
      return reply.code(204).send(null);
    },
  );
}
