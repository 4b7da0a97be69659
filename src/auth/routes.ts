import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authorize } from '../access/authorize.js';
import { bytes, b64, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { callerOf, principalOf } from '../http/caller.js';
import { createChallenge, login, logout } from './login.js';
import { AppError } from '../kernel/errors.js';
import { accessTokenSchema, challengeSchema, meSchema } from './wire-schema.js';

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Brute force and enumeration are slowed per client address, well below the global limit.
  const strict = { max: ctx.config.http.authRateLimitMax, timeWindow: '1 minute' };
  const tokens = ctx.tokens;

  if (tokens !== undefined) {
    r.post(
      '/v1/auth/challenge',
      {
        config: { public: true, rateLimit: strict },
        schema: {
          tags: ['auth'],
          summary: 'Ask for a login challenge to sign with the device key',
          body: z.strictObject({ tenantId: uuid, memberId: uuid }),
          response: {
            200: challengeSchema,
            ...problems(),
          },
        },
      },
      async (request) => {
        const c = await createChallenge(ctx.db, request.body.tenantId, request.body.memberId);
        return { challengeId: c.challengeId, nonce: b64(c.nonce), expiresAt: c.expiresAt.toISOString() };
      },
    );

    r.post(
      '/v1/auth/login',
      {
        config: { public: true, rateLimit: strict },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a signed challenge for a short-lived access token',
          body: z.strictObject({
            tenantId: uuid,
            memberId: uuid,
            challengeId: uuid,
            signature: bytes({ length: 64 }),
          }),
          response: {
            200: accessTokenSchema,
            ...problems('LOGIN_FAILED'),
          },
        },
      },
      async (request) => {
        const { tenantId, memberId, challengeId, signature } = request.body;
        const issued = await login(ctx.db, tokens, {
          clsmId: tenantId,
          memberId,
          challengeId,
          signature,
          requestId: request.id,
        });
        return {
          accessToken: issued.token,
          tokenType: 'Bearer' as const,
          expiresAt: issued.expiresAt.toISOString(),
        };
      },
    );
  }

  r.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session now',
        response: { 204: z.null(), ...problems(...AUTHENTICATED) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      authorize(ctx.policies, caller, { kind: 'clsm', action: 'session.end' });
      await logout(ctx.db, caller, principalOf(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        response: {
          200: meSchema,
          ...problems(...AUTHENTICATED),
        },
      },
    },
    (request) => {
      const p = principalOf(request);
      authorize(ctx.policies, callerOf(request), { kind: 'clsm', action: 'self.read' });
      return {
        memberId: p.memberId,
        tenantId: p.clsmId,
        role: p.role,
        organisation: p.organisation,
        charterAccepted: p.charterAccepted,
      };
    },
  );

  if (tokens === undefined) {
    // OIDC deployments log in at the identity provider; say so instead of a bare 404.
    for (const url of ['/v1/auth/challenge', '/v1/auth/login']) {
      r.post(url, { config: { public: true }, schema: { hide: true } }, () => {
        throw new AppError(
          'NOT_FOUND',
          'built-in login is disabled: authenticate with your identity provider',
        );
      });
    }
  }
}
