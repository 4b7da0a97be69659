import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { bytes, calendarDate, keyVersionSchema, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { decisionSchema } from '../stats/vocabulary/categories.js';
import { ADHESION } from './schema.js';
import { writeMinutes } from './agenda.js';
import { recordAction, recordDecisionOf } from './follow-up.js';

// What is recorded about one agenda item: its minutes, its decisions, its follow-up actions.

const ERRORS = [...AUTHENTICATED, 'NOT_FOUND'] as const;
const itemParams = z.strictObject({ id: uuid, itemId: uuid });

export function registerAgendaItemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/sittings/:id/agenda/:itemId/minutes',
    {
      schema: {
        tags: ['sittings'],
        summary:
          "Minutes of an agenda item: an entry of the case's committee compartment, encrypted and signed on the client",
        params: itemParams,
        body: z.strictObject({
          id: uuid,
          keyVersion: keyVersionSchema,
          nonce: bytes({ length: 24 }),
          ciphertext: bytes({ max: 1024 * 1024 + 16 }),
          signature: bytes({ length: 64 }),
        }),
        response: {
          201: z.object({ id: uuid, createdAt: z.iso.datetime() }),
          ...problems(
            ...ERRORS,
            'MINUTES_FROZEN',
            'BAD_SIGNATURE',
            'ROTATION_REQUIRED',
            'KEY_VERSION_MISMATCH',
            'CONSENT_REQUIRED',
            'CONFLICT',
            'CASE_PURGED',
          ),
        },
      },
    },
    async (request, reply) => {
      const createdAt = await writeMinutes(
        ctx,
        callerOf(request),
        request.params.id,
        request.params.itemId,
        request.body,
      );
      return reply.code(201).send({ id: request.body.id, createdAt: createdAt.toISOString() });
    },
  );

  r.post(
    '/v1/sittings/:id/agenda/:itemId/decisions',
    {
      schema: {
        tags: ['sittings'],
        summary:
          "Record a decision of the cellule about the situation, with the person's adhesion (coordinator)",
        params: itemParams,
        body: z.strictObject({ category: decisionSchema, adhesion: z.enum(ADHESION).default('not_asked') }),
        response: {
          201: z.object({ id: uuid }),
          ...problems(...ERRORS, 'MINUTES_FROZEN', 'CASE_PURGED'),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await recordDecisionOf(
          ctx,
          callerOf(request),
          request.params.id,
          request.params.itemId,
          request.body.category,
          request.body.adhesion,
        ),
      }),
  );

  r.post(
    '/v1/sittings/:id/agenda/:itemId/actions',
    {
      schema: {
        tags: ['sittings'],
        summary:
          'Record a follow-up action: who, by when; what is an encrypted committee entry (coordinator)',
        params: itemParams,
        body: z.strictObject({
          assigneeId: uuid,
          dueOn: calendarDate,
          descriptionEntryId: uuid,
          decisionId: uuid.nullable().default(null),
        }),
        response: {
          201: z.object({ id: uuid }),
          ...problems(...ERRORS, 'MINUTES_FROZEN', 'CASE_PURGED'),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        id: await recordAction(
          ctx,
          callerOf(request),
          request.params.id,
          request.params.itemId,
          request.body,
        ),
      }),
  );
}
