import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { humanText, idParams, instant, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { ATTENDANCE } from './schema.js';
import { advanceSitting, createSitting, listSittings, recordAttendanceOf } from './sittings.js';
import { addAgendaItem } from './agenda.js';
import { viewSitting } from './view.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { sittingSummarySchema, sittingViewSchema } from './wire-schema.js';

const ERRORS = [...AUTHENTICATED, 'NOT_FOUND'] as const;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
export function registerSittingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/sittings',
    {
      schema: {
        tags: ['sittings'],
        summary: 'Plan a sitting of the cellule and convene its members (coordinator)',
        body: z.strictObject({
          scheduledFor: instant,
          location: humanText(200),
          convened: z.array(uuid).max(100),
        }),
        response: { 201: z.object({ id: uuid }), ...problems(...AUTHENTICATED) },
      },
    },
    async (request, reply) => {
      const { scheduledFor, location, convened } = request.body;
      return reply.code(201).send({
        id: await createSitting(ctx, callerOf(request), {
          scheduledFor: new Date(scheduledFor),
          location,
          convened,
        }),
      });
    },
  );

  r.get(
    '/v1/sittings',
    {
      schema: {
        tags: ['sittings'],
        summary:
          'The sittings you are convened to (all of them, for the coordinator), latest first, a page at a time',
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({ sittings: z.array(sittingSummarySchema), nextCursor: nextCursorSchema }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, 'sittings', caller.memberId, keys.timeAndId);
      const page = pageOf(
        'sittings',
        caller.memberId,
        (await listSittings(ctx, caller, { after, limit })).map((s) => ({
          key: [s.at, s.id],
          item: {
            id: s.id,
            scheduledFor: s.scheduled_for.toISOString(),
            location: s.location,
            status: s.status,
            heldAt: iso(s.held_at),
            closedAt: iso(s.closed_at),
          },
        })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { sittings: page.items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/sittings/:id',
    {
      schema: {
        tags: ['sittings'],
        summary:
          'A sitting: attendance, and its agenda as you may see it (situations you are not party to show no reference)',
        params: idParams,
        response: {
          200: sittingViewSchema,
          ...problems(...ERRORS),
        },
      },
    },
    async (request) => {
      const v = await viewSitting(ctx, callerOf(request), request.params.id);
      return {
        id: v.sitting.id,
        scheduledFor: v.sitting.scheduled_for.toISOString(),
        location: v.sitting.location,
        status: v.sitting.status,
        heldAt: iso(v.sitting.held_at),
        closedAt: iso(v.sitting.closed_at),
        members: v.members.map((m) => ({
          memberId: m.memberId,
          attendance: m.attendance as (typeof ATTENDANCE)[number] | null,
        })),
        agenda: v.agenda.map((i) => ({
          itemId: i.itemId,
          position: i.position,
          label: i.case === undefined ? 'une situation à laquelle vous ne participez pas' : i.case.reference,
          case: i.case ?? null,
          decisions: i.decisions.map((d) => ({
            id: d.id,
            category: d.category,
            adhesion: d.adhesion,
            decidedAt: d.decided_at.toISOString(),
          })),
          actions: i.actions.map((a) => ({
            id: a.id,
            assigneeId: a.assignee_id,
            dueOn: a.due_on,
            status: a.status,
            descriptionEntryId: a.description_entry_id,
            decisionId: a.decision_id,
          })),
        })),
      };
    },
  );

  r.post(
    '/v1/sittings/:id/agenda',
    {
      schema: {
        tags: ['sittings'],
        summary: 'Put an accepted situation on the agenda (coordinator)',
        params: idParams,
        body: z.strictObject({ caseId: uuid }),
        response: {
          201: z.object({ itemId: uuid }),
          ...problems(...ERRORS, 'CONFLICT', 'INVALID_TRANSITION', 'MINUTES_FROZEN', 'CASE_PURGED'),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        itemId: await addAgendaItem(ctx, callerOf(request), request.params.id, request.body.caseId),
      }),
  );

  r.put(
    '/v1/sittings/:id/attendance',
    {
      schema: {
        tags: ['sittings'],
        summary: 'Record who was present, excused or absent (coordinator)',
        params: idParams,
        body: z.strictObject({
          marks: z.array(z.strictObject({ memberId: uuid, attendance: z.enum(ATTENDANCE) })).max(100),
        }),
        response: { 204: z.null(), ...problems(...ERRORS, 'MINUTES_FROZEN') },
      },
    },
    async (request, reply) => {
      await recordAttendanceOf(ctx, callerOf(request), request.params.id, request.body.marks);
      return reply.code(204).send(null);
    },
  );

  for (const [step, to, summary] of [
    ['hold', 'held', 'Mark the sitting as held (coordinator)'],
    ['close', 'closed', 'Close the sitting: its minutes and decisions are frozen (coordinator)'],
  ] as const) {
    r.post(
      `/v1/sittings/:id/${step}`,
      {
        schema: {
          tags: ['sittings'],
          summary,
          params: idParams,
          response: { 204: z.null(), ...problems(...ERRORS, 'INVALID_TRANSITION') },
        },
      },
      async (request, reply) => {
        await advanceSitting(ctx, callerOf(request), request.params.id, to);
        return reply.code(204).send(null);
      },
    );
  }
}
