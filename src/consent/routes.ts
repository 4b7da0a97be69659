import type { FastifyInstance } from 'fastify';
import { logSealWire } from '../case-log/wire-schema.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { calendarDate, idParams, instant, uuid } from '../http/schemas.js';
import { LOGGED, ON_A_SITUATION, problems } from '../http/responses.js';
import { CONSENT_DECISIONS, CONSENT_OBTAINED, EXCEPTION_BASES } from './schema.js';
import { recordConsent } from './consent.js';
import { approveException, closeException, openException, recordPersonInformed } from './exceptions.js';
import { consentHistory, listExceptions } from './reads.js';
import { shortenException } from './exception-time-box.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { confirmConsentProposal, listConsentProposals, refuseConsentProposal } from './proposals.js';
import {
  consentProposalSchema,
  consentRecordSchema,
  exceptionSchema,
  recordedConsentSchema,
} from './wire-schema.js';

/** The membership log statement of a change that takes effect now (src/case-log/append.ts). */
const logged = z.strictObject({ log: logSealWire }).nullish();
const scope = z.array(z.string().regex(/^[a-z_]+:[a-z]+$/, 'role:compartment')).max(40);
const exceptionParams = z.strictObject({ id: uuid, exceptionId: uuid });
const proposalParams = z.strictObject({ id: uuid, proposalId: uuid });
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function registerConsentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/cases/:id/consent',
    {
      schema: {
        tags: ['consent'],
        summary:
          "Record the person's consent, refusal or withdrawal: those it no longer covers lose access at once",
        params: idParams,
        body: z.strictObject({
          decision: z.enum(CONSENT_DECISIONS),
          scope: scope.default([]),
          obtained: z.enum(CONSENT_OBTAINED),
          statisticsObjection: z.boolean().default(false),
          evidenceEntryId: uuid.nullable().default(null),
          reviewOn: calendarDate.nullable().default(null),
          // Signed for a change that takes effect now; one that waits for a second person stores none.
          log: logSealWire.optional(),
        }),
        response: {
          201: recordedConsentSchema,
          202: recordedConsentSchema,
          ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const { log, ...input } = request.body;
      const recorded = await recordConsent(ctx, callerOf(request), request.params.id, input, log);
      return reply
        .code(recorded.pending ? 202 : 201)
        .send({ id: recorded.id, keysRevoked: recorded.revoked, pending: recorded.pending });
    },
  );

  r.get(
    '/v1/cases/:id/consent-proposals',
    {
      schema: {
        tags: ['consent'],
        summary:
          "The consent change waiting for a second participant bound by secrecy, if any (it widens its recorder's own access): participants bound by secrecy only",
        params: idParams,
        response: {
          200: z.object({ proposals: z.array(consentProposalSchema) }),
          ...problems(...ON_A_SITUATION),
        },
      },
    },
    async (request) => ({
      proposals: (await listConsentProposals(ctx, callerOf(request), request.params.id)).map((p) => ({
        ...p,
        recordedAt: p.recordedAt.toISOString(),
      })),
    }),
  );

  r.post(
    '/v1/cases/:id/consent-proposals/:proposalId/confirm',
    {
      schema: {
        tags: ['consent'],
        summary:
          "Confirm a consent change that widens its recorder's own access (a second participant bound by secrecy, never the recorder): it takes effect now",
        params: proposalParams,
        body: logged,
        response: { 201: recordedConsentSchema, ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const { id, proposalId } = request.params;
      const recorded = await confirmConsentProposal(
        ctx,
        callerOf(request),
        id,
        proposalId,
        request.body?.log,
      );
      return reply.code(201).send({ id: recorded.id, keysRevoked: recorded.revoked, pending: false });
    },
  );

  r.post(
    '/v1/cases/:id/consent-proposals/:proposalId/refuse',
    {
      schema: {
        tags: ['consent'],
        summary:
          'Turn down (or, its recorder, withdraw) a consent change waiting for a second participant: nothing changes',
        params: proposalParams,
        response: { 204: z.null(), ...problems(...ON_A_SITUATION, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const { id, proposalId } = request.params;
      await refuseConsentProposal(ctx, callerOf(request), id, proposalId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v1/cases/:id/consent',
    {
      schema: {
        tags: ['consent'],
        summary:
          "The history of the person's consent, oldest first, a page at a time (the last record of the last page is the current position); how it was obtained, its evidence, objection and review date: participants bound by secrecy only",
        params: idParams,
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            records: z.array(consentRecordSchema),
            nextCursor: nextCursorSchema,
          }),
          ...problems(...ON_A_SITUATION),
        },
      },
    },
    async (request) => {
      const caseId = request.params.id;
      const { cursor, limit } = request.query;
      const caller = callerOf(request);
      const after = decodeCursor(cursor, 'consent', caseId, keys.seq);
      const rows = await consentHistory(ctx, caller, caseId, { afterSeq: after?.[0], limit });
      const page = pageOf(
        'consent',
        caseId,
        rows.map(({ seq, ...c }) => ({ key: [seq], item: { ...c, recordedAt: c.recordedAt.toISOString() } })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { records: page.items, nextCursor: page.nextCursor };
    },
  );

  r.post(
    '/v1/cases/:id/exceptions',
    {
      schema: {
        tags: ['consent'],
        summary:
          'Ask for a legal exception to consent, with a written (encrypted) justification; a second person approves',
        params: idParams,
        body: z.strictObject({
          basis: z.enum(EXCEPTION_BASES),
          scope: scope.min(1),
          justificationEntryId: uuid,
          durationHours: z.number().int().min(1).max(720).optional(),
          log: logSealWire.optional(),
        }),
        response: { 201: z.object({ id: uuid }), ...problems(...ON_A_SITUATION, ...LOGGED) },
      },
    },
    async (request, reply) => {
      const { log, ...asked } = request.body;
      const id = await openException(ctx, callerOf(request), request.params.id, asked, log);
      return reply.code(201).send({ id });
    },
  );

  r.get(
    '/v1/cases/:id/exceptions',
    {
      schema: {
        tags: ['consent'],
        summary:
          'The legal exceptions of a situation, open and past; their legal ground: participants bound by secrecy only',
        params: idParams,
        response: {
          200: z.object({
            exceptions: z.array(exceptionSchema),
          }),
          ...problems(...ON_A_SITUATION),
        },
      },
    },
    async (request) => ({
      exceptions: (await listExceptions(ctx, callerOf(request), request.params.id)).map((e) => ({
        ...e,
        approvedAt: iso(e.approvedAt),
        expiresAt: iso(e.expiresAt),
        closedAt: iso(e.closedAt),
        personInformedAt: iso(e.personInformedAt),
      })),
    }),
  );

  r.post(
    '/v1/cases/:id/exceptions/:exceptionId/shorten',
    {
      schema: {
        tags: ['consent'],
        summary: 'Bring forward the end of a legal exception (the one who approved it; never later)',
        params: exceptionParams,
        body: z.strictObject({ expiresAt: instant, log: logSealWire.optional() }),
        response: { 204: z.null(), ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const { id, exceptionId } = request.params;
      const { expiresAt, log } = request.body;
      await shortenException(ctx, callerOf(request), id, exceptionId, expiresAt, log);
      return reply.code(204).send(null);
    },
  );

  const steps = [
    ['approve', 'Approve a legal exception (a second person, coordinator or health professional)'],
    ['close', 'Close a legal exception before its time box ends'],
  ] as const;
  for (const [step, summary] of steps) {
    r.post(
      `/v1/cases/:id/exceptions/:exceptionId/${step}`,
      {
        schema: {
          tags: ['consent'],
          summary,
          params: exceptionParams,
          body: logged,
          response: { 204: z.null(), ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT') },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const { id, exceptionId } = request.params;
        const log = request.body?.log;
        if (step === 'approve') await approveException(ctx, caller, id, exceptionId, log);
        else await closeException(ctx, caller, id, exceptionId, log);
        return reply.code(204).send(null);
      },
    );
  }

  r.post(
    '/v1/cases/:id/exceptions/:exceptionId/inform',
    {
      schema: {
        tags: ['consent'],
        summary: 'Record that the person was informed of the exception',
        params: exceptionParams,
        response: { 204: z.null(), ...problems(...ON_A_SITUATION, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const { id, exceptionId } = request.params;
      await recordPersonInformed(ctx, callerOf(request), id, exceptionId);
      return reply.code(204).send(null);
    },
  );
}
