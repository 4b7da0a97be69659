import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { AppError } from '../../kernel/errors.js';
import { childLogger } from '../../http/logger.js';
import { registerSecurity } from '../../http/security.js';
import { answerFrameworkError } from '../../http/framework-errors.js';
import { problem, registerProblemHandlers, sendProblem } from '../../http/problem.js';
import { registerHealthRoutes } from '../../health/routes.js';
import { HASH_HEADER, registerPublishedRoutes } from './published-routes.js';
import { registerStatsAuthentication } from './reader.js';
import { zodSchemaController } from '../../http/zod-compilers.js';

/**
 * The statistics server: its own Fastify instance, its own port, its own database role. It reads
 * frozen releases from the `stats` schema and writes nothing, not even refusals: those are logged.
 */
export async function buildStatsApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: childLogger(ctx, 'stats'),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: ctx.config.http.trustProxy,
    bodyLimit: 16 * 1024,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
    schemaController: zodSchemaController,
  });
  // 1. Security headers, CORS (the web app reads here from the API's origin, and checks the
  //    content hash header), rate limits, JSON-only bodies, no-store.
  await registerSecurity(app, {
    http: ctx.config.http,
    readableFromAnyOrigin: { exposedHeaders: [HASH_HEADER, 'x-request-id'] },
  });
  // 2. Problem details; a refusal is logged, never written.
  registerProblemHandlers(app, 'log-only');
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // 3. No free filters and no date ranges: a table is a released calendar year, whole. Refused
  //    before authentication, so that no parameter reaches a query. Liveness and readiness read
  //    no statistics and ignore a query string, as they do on the API.
  app.addHook('onRequest', (request, _reply, done) => {
    done(
      request.url.includes('?') && request.routeOptions.config.public !== true
        ? new AppError(
            'QUERY_NOT_ALLOWED',
            'the statistics take no query parameters: ask for a released year',
          )
        : undefined,
    );
  });
  // 4. The same bearer tokens as the API, re-checked on every request without reading the directory.
  await registerStatsAuthentication(app, ctx);
  // 5. Routes.
  registerHealthRoutes(app, () => ctx.dbs.withStatsRole((trx) => sql`select 1`.execute(trx)));
  registerPublishedRoutes(app, ctx);
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) =>
    sendProblem(reply, problem(request, 'NOT_FOUND', 'no such route')),
  );
  return app;
}
