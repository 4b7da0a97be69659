import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyJwt from '@fastify/jwt';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { PLATFORM_CLSM } from '../kernel/audit-events.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { recordAudit } from '../audit/append.js';
import { AppError } from '../kernel/errors.js';
import { REFUSAL_WINDOW_MS, RefusalWindows } from './refusal-windows.js';
import { printable } from '../http/schemas.js';
import { loadOidcPrincipal, loadSessionPrincipal, type Refusal } from './principal.js';
import type { Principal } from '../http/caller.js';

// Authentication of every request, deny by default: a route is public only if its config says so.
// Signature, algorithm, issuer, audience, expiry, not-before, age and type are checked by fast-jwt
// (through @fastify/jwt, whose cache holds verified signatures only); the session or member is
// re-read from the database on every request, so a logout or suspension applies at once. Both
// servers verify tokens here; each looks the member up its own way (the statistics server cannot
// read the directory: docs/adr/0009).

/** Header parameters that point the verifier at keys chosen by the token's author: never honoured. */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];

const builtinClaims = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  sid: z.uuid(),
  exp: z.number().int(),
});
// The provider's subject is stored in a text column: printable text only (a NUL cannot be stored).
const oidcClaims = z.object({
  sub: z.string().min(1).max(255).refine(printable),
  exp: z.number().int(),
  iat: z.number().int(),
});

interface CompleteToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

class TokenRefused extends Error {
  constructor(
    readonly reason: string,
    readonly clsmId = PLATFORM_CLSM,
    readonly memberId?: string,
  ) {
    super(reason);
  }
}

/** A token whose signature and claims were verified; whether its member may still act is not known yet. */
export type VerifiedToken =
  | { kind: 'session'; clsmId: string; memberId: string; sessionId: string; expiresAt: Date }
  | { kind: 'oidc'; subject: string; tokenHash: Buffer; issuedAt: Date; expiresAt: Date };

/** Looks up the member behind a verified token, as of now, or says why they may not act. */
export type PrincipalLookup<P> = (token: VerifiedToken, now: Date) => Promise<P | Refusal>;

/** The API: the member and session are read from the directory, and kept as `request.principal`. */
export async function registerAuthentication(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.decorateRequest('principal', null);
  const windows = new RefusalWindows(ctx.clock, (event) =>
    recordAudit(ctx.db, event).catch((err: unknown) => {
      ctx.logger.error({ err }, 'could not record repeated token refusals');
    }),
  );
  // Windows nobody comes back to are recorded within a minute or two, and all of them at close.
  const sweep = setInterval(() => void windows.flush(), REFUSAL_WINDOW_MS);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await windows.flush(Infinity);
  });
  await registerBearerAuthentication(
    app,
    ctx,
    (token, now) =>
      token.kind === 'session'
        ? loadSessionPrincipal(ctx.reads, token, now)
        : loadOidcPrincipal(ctx.reads, token),
    (request, principal: Principal) => {
      request.principal = principal;
    },
    windows,
  );
}

/**
 * Verifies the bearer token of every non-public route, then `lookup` decides whether its member may
 * still act; `assign` keeps the result on the request. A refusal is answered 401 as an AuditedRefusal,
 * or, when `windows` says it repeats one already recorded in its window, as a plain 401 it counts.
 */
export async function registerBearerAuthentication<P>(
  app: FastifyInstance,
  ctx: AppContext,
  lookup: PrincipalLookup<P>,
  assign: (request: FastifyRequest, principal: P) => void,
  windows?: RefusalWindows,
): Promise<void> {
  const { auth } = ctx.config;
  const common = { cache: true, complete: true, requiredClaims: ['exp', 'iat', 'sub'] };
  if (auth.mode === 'builtin') {
    if (ctx.tokens === undefined) throw new Error('built-in authentication needs a token issuer');
    const keyId = ctx.tokens.keyId;
    await app.register(fastifyJwt, {
      secret: { public: ctx.tokens.publicPem },
      decode: { complete: true },
      verify: {
        ...common,
        algorithms: ['EdDSA'],
        allowedIss: auth.issuer,
        allowedAud: auth.audience,
        // @fastify/jwt reads a numeric maxAge as seconds.
        maxAge: auth.tokenTtlSeconds,
        checkTyp: 'jwt',
      },
      trusted: (_request, token) =>
        headerAcceptable(token as CompleteToken) && (token as CompleteToken).header.kid === keyId,
    });
  } else {
    const keys = ctx.oidcKeys;
    if (keys === undefined) throw new Error('OIDC authentication needs a key store');
    await app.register(fastifyJwt, {
      secret: async (_request: FastifyRequest, token: unknown) => {
        const kid = (token as CompleteToken).header.kid;
        const pem = typeof kid === 'string' ? await keys.pemFor(kid) : undefined;
        if (pem === undefined) throw new TokenRefused('TOKEN_UNKNOWN_KEY');
        return pem;
      },
      decode: { complete: true },
      verify: {
        ...common,
        algorithms: [...auth.algorithms],
        allowedIss: auth.issuer,
        allowedAud: auth.audience,
        maxAge: auth.maxTokenAgeSeconds,
      },
      trusted: (_request, token) => {
        const typ = (token as CompleteToken).header.typ;
        const typeOk =
          typeof typ === 'string' &&
          auth.tokenTypes.includes(typ.toLowerCase().replace(/^application\//, ''));
        return typeOk && headerAcceptable(token as CompleteToken);
      },
    });
  }

  app.addHook('onRequest', async (request, reply) => {
    // CORS preflights carry no credentials and return no data.
    if (request.is404 || request.method === 'OPTIONS' || request.routeOptions.config.public === true) return;
    try {
      assign(request, await authenticate(request, ctx, lookup));
    } catch (err) {
      if (!(err instanceof TokenRefused) && !isJwtError(err)) throw err;
      const refused = err instanceof TokenRefused ? err : new TokenRefused(reasonOf(err));
      const missing = refused.reason === 'TOKEN_MISSING';
      void reply.header('www-authenticate', missing ? 'Bearer' : 'Bearer error="invalid_token"');
      const code = missing ? 'UNAUTHENTICATED' : 'TOKEN_INVALID';
      const detail = missing ? 'a bearer token is required' : 'the bearer token was refused; log in again';
      const event = {
        clsmId: refused.clsmId,
        type: 'auth.token_refused' as const,
        outcome: 'denied' as const,
        reason: refused.reason,
        ...(refused.memberId === undefined ? {} : { actorId: refused.memberId }),
        requestId: request.id,
      };
      if (windows !== undefined && !(await windows.admit(request.ip, event)))
        throw new AppError(code, detail);
      throw new AuditedRefusal(code, detail, event);
    }
  });
}

function headerAcceptable(token: CompleteToken): boolean {
  return FORBIDDEN_HEADERS.every((h) => !(h in token.header));
}

function isJwtError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // @fastify/jwt's own errors, and fast-jwt's that it passes through.
  return typeof code === 'string' && (code.startsWith('FST_JWT_') || code.startsWith('FAST_JWT_'));
}

const REASONS: Record<string, string> = {
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FAST_JWT_EXPIRED: 'TOKEN_EXPIRED',
  FAST_JWT_INACTIVE: 'TOKEN_NOT_YET_VALID',
  FAST_JWT_INVALID_ALGORITHM: 'TOKEN_ALGORITHM',
  FAST_JWT_MISSING_SIGNATURE: 'TOKEN_UNSIGNED',
  FST_JWT_AUTHORIZATION_TOKEN_UNSIGNED: 'TOKEN_UNSIGNED',
  FAST_JWT_INVALID_TYPE: 'TOKEN_TYPE',
  FAST_JWT_INVALID_SIGNATURE: 'TOKEN_SIGNATURE',
  FAST_JWT_MISSING_REQUIRED_CLAIM: 'TOKEN_CLAIMS',
  FAST_JWT_INVALID_CLAIM_VALUE: 'TOKEN_CLAIMS',
  FAST_JWT_INVALID_CLAIM_TYPE: 'TOKEN_CLAIMS',
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: 'TOKEN_HEADER_REFUSED',
  FST_JWT_BAD_REQUEST: 'TOKEN_MALFORMED',
  FAST_JWT_MALFORMED: 'TOKEN_MALFORMED',
};

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' ? REASONS[code] : undefined) ?? 'TOKEN_INVALID';
}

/** The bearer token of a request, as the exact string that was verified. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  return match?.[1];
}

async function authenticate<P>(
  request: FastifyRequest,
  ctx: AppContext,
  lookup: PrincipalLookup<P>,
): Promise<P> {
  const token = await verifyToken(request, ctx);
  const result = await lookup(token, new Date());
  if (typeof result !== 'string') return result;
  throw token.kind === 'session'
    ? new TokenRefused(result, token.clsmId, token.memberId)
    : new TokenRefused(result);
}

async function verifyToken(request: FastifyRequest, ctx: AppContext): Promise<VerifiedToken> {
  if (request.headers.authorization === undefined) throw new TokenRefused('TOKEN_MISSING');
  const verified = (await request.jwtVerify()) as unknown as CompleteToken;
  if (ctx.config.auth.mode === 'builtin') {
    const claims = builtinClaims.safeParse(verified.payload);
    if (!claims.success) throw new TokenRefused('TOKEN_CLAIMS');
    const { sub, tid, sid, exp } = claims.data;
    return { kind: 'session', clsmId: tid, memberId: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
  }
  const claims = oidcClaims.safeParse(verified.payload);
  if (!claims.success) throw new TokenRefused('TOKEN_CLAIMS');
  const token = bearerToken(request);
  if (token === undefined) throw new TokenRefused('TOKEN_MALFORMED');
  return {
    kind: 'oidc',
    subject: claims.data.sub,
    tokenHash: createHash('sha256').update(token).digest(),
    issuedAt: new Date(claims.data.iat * 1000),
    expiresAt: new Date(claims.data.exp * 1000),
  };
}

/** OIDC enrollment: the subject of a valid provider token that is not yet bound to a member. */
export async function oidcSubjectOf(request: FastifyRequest): Promise<string> {
  const refuse = (reason: string): AuditedRefusal =>
    new AuditedRefusal('TOKEN_INVALID', 'enrollment requires a valid token from the identity provider', {
      clsmId: PLATFORM_CLSM,
      type: 'auth.token_refused',
      outcome: 'denied',
      reason,
      requestId: request.id,
    });
  if (request.headers.authorization === undefined) throw refuse('TOKEN_MISSING');
  let verified: CompleteToken;
  try {
    verified = (await request.jwtVerify()) as unknown as CompleteToken;
  } catch (err) {
    if (err instanceof TokenRefused) throw refuse(err.reason);
    if (isJwtError(err)) throw refuse(reasonOf(err));
    throw err;
  }
  const claims = oidcClaims.safeParse(verified.payload);
  if (!claims.success) throw refuse('TOKEN_CLAIMS');
  return claims.data.sub;
}
