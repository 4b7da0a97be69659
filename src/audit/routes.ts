import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { AUDIT_EVENT_TYPES } from '../kernel/audit-events.js';
import { exportCheckpoints, listEvents, signCheckpointNow, verifyLog } from './service.js';
import { auditHead } from './head.js';
import { fromCheckpointFile } from './checkpoints.js';
import { auditHeadSchema, checkpointFileSchema, verdictSchema } from './wire-schema.js';

const eventSchema = z.object({
  seq: z.number().int(),
  at: z.iso.datetime(),
  type: z.string(),
  outcome: z.enum(['success', 'denied', 'failure']),
  reason: z.string().nullable(),
  actorId: uuid.nullable(),
  actorRole: z.string().nullable(),
  action: z.string().nullable(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  caseId: uuid.nullable(),
  compartment: z.string().nullable(),
  subjectId: uuid.nullable(),
  keyVersion: z.number().int().nullable(),
  legalBasis: z.string().nullable(),
  legalBasisId: uuid.nullable(),
  requestId: z.string().nullable(),
  /** An aggregated event (repeated refused tokens): how many refusals it stands for. */
  occurrences: z.number().int().nullable(),
});

export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary:
          'The audit trail of this CLSM (DPO), oldest first by sequence number, a page at a time (a cursor serves the filters it was given with)',
        querystring: z.strictObject({
          case: uuid.optional(),
          member: uuid.optional(),
          type: z.enum(AUDIT_EVENT_TYPES).optional(),
          from: z.iso.datetime().optional(),
          to: z.iso.datetime().optional(),
          ...pageQuery,
        }),
        response: {
          200: z.object({ events: z.array(eventSchema), nextCursor: nextCursorSchema }),
          ...problems(...AUTHENTICATED, 'VALIDATION_FAILED'),
        },
      },
    },
    async (request) => {
      const q = request.query;
      // A cursor continues the listing it came from: the same filters, or a 400.
      const scope = [q.case, q.member, q.type, q.from, q.to].map((v) => v ?? '').join('|');
      const after = decodeCursor(q.cursor, 'audit', scope, keys.seq);
      const rows = await listEvents(ctx.db, ctx.policies, callerOf(request), {
        caseId: q.case,
        memberId: q.member,
        type: q.type,
        from: q.from === undefined ? undefined : new Date(q.from),
        to: q.to === undefined ? undefined : new Date(q.to),
        afterSeq: after?.[0],
        limit: q.limit + 1,
      });
      const page = pageOf(
        'audit',
        scope,
        rows.map((e) => ({
          key: [e.seq],
          item: {
            seq: e.seq,
            at: e.at.toISOString(),
            type: e.type,
            outcome: e.outcome,
            reason: e.reason,
            actorId: e.actor_id,
            actorRole: e.actor_role,
            action: e.action,
            resourceType: e.resource_type,
            resourceId: e.resource_id,
            caseId: e.case_id,
            compartment: e.compartment,
            subjectId: e.subject_id,
            keyVersion: e.key_version,
            legalBasis: e.legal_basis,
            legalBasisId: e.legal_basis_id,
            requestId: e.request_id,
            occurrences: e.occurrences,
          },
        })),
        { limit: q.limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { events: page.items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: "Recompute this CLSM's chain and check it against the signed checkpoints (DPO)",
        response: { 200: verdictSchema, ...problems(...AUTHENTICATED) },
      },
    },
    async (request) => {
      const { clsmId: _clsmId, ...verdict } = await verifyLog(
        ctx.db,
        ctx.policies,
        ctx.auditSigner,
        callerOf(request),
      );
      return verdict;
    },
  );

  r.post(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary:
          "Check this CLSM's chain against the checkpoints of an exported file as well as the known ones (DPO)",
        // Strict, as every body: a field the file format does not have is refused, not ignored.
        body: checkpointFileSchema.strict(),
        response: { 200: verdictSchema, ...problems(...AUTHENTICATED, 'VALIDATION_FAILED') },
      },
    },
    async (request) => {
      const { checkpoints } = fromCheckpointFile(request.body);
      const { clsmId: _clsmId, ...verdict } = await verifyLog(
        ctx.db,
        ctx.policies,
        ctx.auditSigner,
        callerOf(request),
        checkpoints,
      );
      return verdict;
    },
  );

  r.get(
    '/v1/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'The signed checkpoints of this CLSM, in the portable file format, to keep outside the database',
        response: { 200: checkpointFileSchema, ...problems(...AUTHENTICATED) },
      },
    },
    (request) => exportCheckpoints(ctx.db, ctx.policies, ctx.auditSigner, callerOf(request)),
  );

  r.post(
    '/v1/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary: 'Sign a checkpoint of the current head now',
        response: {
          201: z.object({ seq: z.number().int().nullable() }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request, reply) => {
      const cp = await signCheckpointNow(ctx.db, ctx.policies, ctx.auditSigner, callerOf(request));
      return reply.code(201).send({ seq: cp?.seq ?? null });
    },
  );

  r.get(
    '/v1/audit/head',
    {
      schema: {
        tags: ['audit'],
        summary:
          "The latest signed checkpoint, and the log's hash at a seq the client saw vouched for (every member)",
        querystring: z.object({ known: z.coerce.number().int().positive().optional() }),
        response: {
          200: auditHeadSchema,
          ...problems(...AUTHENTICATED, 'VALIDATION_FAILED'),
        },
      },
    },
    (request) => auditHead(ctx.db, ctx.policies, ctx.auditSigner, callerOf(request), request.query.known),
  );
}
