import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from './context.js';
import { childLogger } from './http/logger.js';
import { CompletedRequestLog, lazyRequestLogger } from './http/request-log.js';
import { registerSecurity } from './http/security.js';
import { answerFrameworkError } from './http/framework-errors.js';
import { registerOpenApi } from './http/openapi.js';
import { registerWebApp } from './http/web-app.js';
import { PACKAGE_VERSION } from './util/paths.js';
import { problem, registerProblemHandlers, sendProblem } from './http/problem.js';
import { recordAudit } from './audit/append.js';
import { registerAuthentication } from './auth/authenticate.js';
import { registerHealthRoutes } from './health/routes.js';
import { registerAuthRoutes } from './auth/routes.js';
import { registerMemberRoutes } from './members/routes.js';
import { registerDirectoryRoutes } from './directory/routes.js';
import { registerRecoveryRoutes } from './members/recovery-routes.js';
import { registerCharterRoutes } from './charter/routes.js';
import { registerClsmRoutes } from './clsms/routes.js';
import { registerAuditRoutes } from './audit/routes.js';
import { registerAccessReportRoutes } from './access-report/routes.js';
import { registerCaseRoutes } from './cases/routes.js';
import { registerParticipantRoutes } from './cases/participant-routes.js';
import { registerCaseLogRoutes } from './case-log/routes.js';
import { registerEntryRoutes } from './entries/routes.js';
import { registerKeyRoutes } from './keys/routes.js';
import { registerReleaseRoutes } from './stats/releases/release-routes.js';
import { registerConsentRoutes } from './consent/routes.js';
import { registerSittingRoutes } from './sittings/routes.js';
import { registerActionRoutes } from './sittings/action-routes.js';
import { registerAgendaItemRoutes } from './sittings/item-routes.js';
import { zodSchemaController } from './http/zod-compilers.js';

/** The API server, assembled in the order requests meet it. Tests build exactly this. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: childLogger(ctx, 'api'),
    logController: new CompletedRequestLog(),
    childLoggerFactory: lazyRequestLogger,
    // Our own request ids: a client-chosen id could forge or collide with log and audit entries.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: ctx.config.http.trustProxy,
    bodyLimit: ctx.config.http.bodyLimitBytes,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
    schemaController: zodSchemaController,
  });

  // 1. Security headers, CORS, rate limits, JSON-only bodies, no-store.
  await registerSecurity(app, { http: ctx.config.http });
  // 2. One error handler for every route: problem details, refusals recorded in the audit log.
  registerProblemHandlers(app, (event) => recordAudit(ctx.db, event));
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // 3. The OpenAPI document, built from the routes registered below, and its viewer.
  await registerOpenApi(app, { docsEnabled: ctx.config.http.docsEnabled, version: PACKAGE_VERSION });
  // 4. Authentication of every non-public route.
  await registerAuthentication(app, ctx);
  // 5. Domain routes.
  registerHealthRoutes(app, () => sql`select 1`.execute(ctx.db));
  registerAuthRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerDirectoryRoutes(app, ctx);
  registerRecoveryRoutes(app, ctx);
  registerCharterRoutes(app, ctx);
  registerClsmRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerAccessReportRoutes(app, ctx);
  registerCaseRoutes(app, ctx);
  registerParticipantRoutes(app, ctx);
  registerCaseLogRoutes(app, ctx);
  registerEntryRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  registerReleaseRoutes(app, ctx);
  registerConsentRoutes(app, ctx);
  registerSittingRoutes(app, ctx);
  registerAgendaItemRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  // 6. The web app under / (same origin, its own CSP), when it has been built.
  if (!(await registerWebApp(app, ctx.config.http.webRoot, ctx.config.http)))
    app.log.warn({ webRoot: ctx.config.http.webRoot }, 'web app not built: serving the API only');
  // 7. Unknown routes: rate-limited like the rest, answered in the same format.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) =>
    sendProblem(reply, problem(request, 'NOT_FOUND', 'no such route')),
  );
  return app;
}
