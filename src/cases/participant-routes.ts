import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { callerOf } from '../http/caller.js';
import { idParams, uuid } from '../http/schemas.js';
import { LOGGED, ON_A_SITUATION, problems } from '../http/responses.js';
import { logSealWire } from '../case-log/wire-schema.js';
import { addParticipant, removeParticipant, unassignCompartment } from './participants.js';
import {
  approveParticipantRequest,
  listParticipantRequests,
  refuseParticipantRequest,
} from './participant-requests.js';
import { participantRequestSchema, pendingAdditionSchema } from './wire-schema.js';
import { invitePerson } from './person-invitation.js';
import { bytes } from '../http/schemas.js';
import { invitationIssuedSchema } from '../members/wire-schema.js';

// Who takes part in a situation: additions (some waiting for a second participant bound by
// secrecy), their approval or refusal, removals and narrowed need-to-know.

const compartment = z.enum(COMPARTMENTS);
/** The membership log statement of a change that takes effect now (src/case-log/append.ts). */
const logged = z.strictObject({ log: logSealWire }).nullish();

export function registerParticipantRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/cases/:id/participants',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Add a participant, with the compartments they need to know (all by default, within the policy); adding oneself, or (the coordinator, taking no part in it) a health professional or social worker, waits for a second participant bound by secrecy: 202 and the request',
        params: idParams,
        body: z.strictObject({
          memberId: uuid,
          compartments: z.array(compartment).max(COMPARTMENTS.length).optional(),
          // Signed for an addition that takes effect now; one that waits for approval stores none.
          log: logSealWire.optional(),
        }),
        response: {
          202: pendingAdditionSchema,
          204: z.null(),
          ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT'),
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
        request.body.log,
      );
      if (addition.status === 'pending') return reply.code(202).send({ requestId: addition.requestId });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/cases/:id/person-invitations',
    {
      schema: {
        tags: ['cases'],
        summary:
          "Invite the person the situation is about to their own space, with them present (a participant bound by secrecy, or the coordinator taking part): the inviter's device made the code and sends only the hash of its redeem token",
        params: idParams,
        body: z.strictObject({ invitationId: uuid, codeHash: bytes({ length: 32 }) }),
        response: {
          201: invitationIssuedSchema,
          ...problems(...ON_A_SITUATION, 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const issued = await invitePerson(ctx, callerOf(request), request.params.id, request.body);
      return reply.code(201).send({
        invitationId: issued.id,
        memberId: issued.memberId,
        expiresAt: issued.expiresAt.toISOString(),
      });
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
          body: logged,
          response: { 204: z.null(), ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT') },
        },
      },
      async (request, reply) => {
        const { id, requestId } = request.params;
        if (decision === 'approve')
          await approveParticipantRequest(ctx, callerOf(request), id, requestId, request.body?.log);
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
        body: logged,
        response: { 204: z.null(), ...problems(...ON_A_SITUATION, ...LOGGED) },
      },
    },
    async (request, reply) => {
      const { id, memberId } = request.params;
      await removeParticipant(ctx, callerOf(request), id, memberId, request.body?.log);
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
        body: logged,
        response: { 204: z.null(), ...problems(...ON_A_SITUATION, ...LOGGED, 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const { id, memberId, compartment } = request.params;
      await unassignCompartment(ctx, callerOf(request), id, memberId, compartment, request.body?.log);
      return reply.code(204).send(null);
    },
  );
}
