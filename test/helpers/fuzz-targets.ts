import type { FastifyInstance } from 'fastify';
import { buildStatsApp } from '../../src/stats/server/app.js';
import { startTestApp, type TestApp } from './app.js';
import { routeRecorder, type RouteSpec } from './routes.js';

// The two servers of the service, over one database, each with its routes found from itself.

export interface FuzzedServer {
  name: string;
  app: FastifyInstance;
  routes: RouteSpec[];
}

export async function fuzzTargets(t: {
  teardown(fn: () => unknown): void;
}): Promise<{ ta: TestApp; servers: FuzzedServer[] }> {
  const api = routeRecorder();
  const ta = await startTestApp(t, {
    beforeReady: (app) => {
      api.beforeReady(app);
    },
  });
  const stats = routeRecorder();
  const statsApp = await buildStatsApp(ta.ctx);
  stats.beforeReady(statsApp);
  await statsApp.ready();
  t.teardown(() => statsApp.close());
  return {
    ta,
    servers: [
      { name: 'API', app: ta.app, routes: api.discover(ta.app) },
      { name: 'statistics server', app: statsApp, routes: stats.discover(statsApp) },
    ],
  };
}
