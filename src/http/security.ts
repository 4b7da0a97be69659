import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config/config.js';
import { AppError } from '../kernel/errors.js';

// Security plugins shared by the API and the statistics server, in the order they must run.

/** A JSON API: nothing may be framed, scripted or loaded from its responses. */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
} as const;

export interface SecurityOptions {
  http: Config['http'];
  /**
   * Any origin may read (GET) with a bearer token, and read these response headers: the statistics
   * server, which the web app reads from its own origin (docs/adr/0024).
   */
  readableFromAnyOrigin?: { exposedHeaders: readonly string[] };
}

export async function registerSecurity(
  app: FastifyInstance,
  { http, readableFromAnyOrigin }: SecurityOptions,
): Promise<void> {
  await app.register(fastifyHelmet, HELMET_OPTIONS);
  if (readableFromAnyOrigin !== undefined) {
    // No cookie is ever read here: a page of another origin gets only what a token it already
    // holds would get it anyway.
    await app.register(cors, {
      origin: '*',
      methods: ['GET'],
      exposedHeaders: [...readableFromAnyOrigin.exposedHeaders],
      maxAge: 600,
    });
  } else {
    // Closed unless origins are listed: a browser front-end is an explicit deployment decision.
    const corsOpen = http.corsOrigins.length > 0;
    await app.register(cors, { origin: corsOpen ? [...http.corsOrigins] : false, preflight: corsOpen });
  }
  await app.register(rateLimit, {
    global: true,
    max: http.rateLimitMax,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit exceeded, retry in ${context.after}`), { statusCode: 429 }),
  });

  // JSON only: fastify also parses text/plain by default; without a parser the answer is 415.
  app.removeContentTypeParser(['text/plain']);

  app.addHook('onRequest', (request, _reply, done) => {
    // Bearer tokens travel in the Authorization header only: URLs end up in proxy logs and histories.
    const query = request.query as Record<string, unknown> | undefined;
    if (query !== undefined && ('access_token' in query || 'token' in query)) {
      done(new AppError('TOKEN_IN_QUERY', 'tokens are accepted in the Authorization header only'));
      return;
    }
    done();
  });

  // Graceful shutdown: answers to requests in flight when closing starts also close their
  // connection, so that close() does not wait for keep-alive timeouts.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.addHook('onSend', (_request, reply, payload, done) => {
    // Answers carry personal data (even as ciphertext): no shared or private cache may keep them.
    void reply.header('cache-control', 'no-store');
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
