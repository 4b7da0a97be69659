import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { b64, bytes, shortText, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { decodeCursor, keys, pageOf, pageQuery } from '../http/paging.js';
import { nextCursorSchema } from '../http/page-schema.js';
import { roleSchema } from '../kernel/roles.js';
import { partnerCategorySchema } from '../stats/vocabulary/categories.js';
import { enroll, inviteMember, openInvitation } from './enrollment.js';
import { listMembers } from './directory.js';
import { oidcSubjectOf } from '../auth/authenticate.js';
import {
  directoryMemberSchema,
  enrolledSchema,
  invitationIssuedSchema,
  invitationSchema,
} from './wire-schema.js';

export function registerMemberRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/enroll/invitation',
    {
      config: { public: true, rateLimit: { max: ctx.config.http.authRateLimitMax, timeWindow: '1 minute' } },
      schema: {
        tags: ['members'],
        summary:
          'What an enrollment code invites to, without using it: the CLSM and member id to sign the new device keys for',
        body: z.strictObject({ code: z.string().min(8).max(64) }),
        response: {
          200: invitationSchema,
          ...problems('ENROLLMENT_CODE_INVALID'),
        },
      },
    },
    async (request) => {
      const invitation = await openInvitation(ctx.db, request.body.code, request.id);
      return {
        tenantId: invitation.clsmId,
        memberId: invitation.memberId,
        role: invitation.role,
        organisation: invitation.organisation,
        displayName: invitation.displayName,
        expiresAt: invitation.expiresAt.toISOString(),
      };
    },
  );

  r.post(
    '/v1/enroll',
    {
      config: { public: true, rateLimit: { max: ctx.config.http.authRateLimitMax, timeWindow: '1 minute' } },
      schema: {
        tags: ['members'],
        summary:
          'Redeem a one-time enrollment code and register the device keys, self-signed for the CLSM and member id of the invitation',
        body: z.strictObject({
          code: z.string().min(8).max(64),
          signPublicKey: bytes({ length: 32 }),
          boxPublicKey: bytes({ length: 32 }),
          keySignature: bytes({ length: 64 }),
        }),
        response: {
          201: enrolledSchema,
          ...problems('ENROLLMENT_CODE_INVALID', 'BAD_SIGNATURE', 'TOKEN_INVALID', 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      // With an external identity provider, the code binds the provider's subject to the member.
      const oidcSubject = ctx.config.auth.mode === 'oidc' ? await oidcSubjectOf(request) : undefined;
      const m = await enroll(ctx.db, {
        ...request.body,
        ...(oidcSubject === undefined ? {} : { oidcSubject }),
        requestId: request.id,
      });
      return reply.code(201).send({
        memberId: m.memberId,
        tenantId: m.clsmId,
        role: m.role,
        organisation: m.organisation,
        displayName: m.displayName,
      });
    },
  );

  r.post(
    '/v1/members/invitations',
    {
      schema: {
        tags: ['members'],
        summary:
          "Invite a member (coordinator): the inviter's device made the code and sends only the hash of its redeem token",
        body: z.strictObject({
          role: roleSchema,
          organisation: shortText,
          displayName: shortText,
          partnerCategory: partnerCategorySchema.optional(),
          invitationId: uuid,
          codeHash: bytes({ length: 32 }),
        }),
        response: {
          201: invitationIssuedSchema,
          ...problems(...AUTHENTICATED, 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const issued = await inviteMember(ctx.db, ctx.policies, callerOf(request), request.body);
      return reply.code(201).send({
        invitationId: issued.id,
        memberId: issued.memberId,
        expiresAt: issued.expiresAt.toISOString(),
      });
    },
  );

  r.get(
    '/v1/members',
    {
      schema: {
        tags: ['members'],
        summary: 'The directory of members of this CLSM, with their current public keys, a page at a time',
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            members: z.array(directoryMemberSchema),
            nextCursor: nextCursorSchema,
          }),
          ...problems(...AUTHENTICATED),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, 'members', caller.clsmId, keys.timeAndId);
      const members = await listMembers(ctx.db, ctx.policies, caller, { after, limit });
      const page = pageOf(
        'members',
        caller.clsmId,
        members.map(({ listedAt, ...m }) => ({
          key: [listedAt, m.id],
          item: {
            ...m,
            keys:
              m.keys === undefined
                ? null
                : {
                    version: m.keys.version,
                    signPublicKey: b64(m.keys.signPublicKey),
                    boxPublicKey: b64(m.keys.boxPublicKey),
                    selfSignature: b64(m.keys.selfSignature),
                  },
          },
        })),
        { limit, maxBytes: ctx.config.http.pageMaxBytes },
      );
      return { members: page.items, nextCursor: page.nextCursor };
    },
  );
}
