import t from 'tap';
import { createRequire } from 'node:module';
import { startTestApp } from '../helpers/app.js';
import { buildStatsApp } from '../../src/stats/server/app.js';

// Both servers validate and serialise with the routes' zod schemas alone: Fastify's default
// compilers, ajv and fast-json-stringify, are never loaded (a tenth of a start on an existing data
// directory: docs/performance.md, item 7).

const ta = await startTestApp(t);
const stats = await buildStatsApp(ta.ctx);
t.teardown(() => stats.close());
await stats.ready();

t.test('neither server loads ajv or fast-json-stringify', async (t) => {
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  t.ok(
    loaded.some((file) => file.includes('/node_modules/fastify/')),
    'the module cache seen is the one Fastify was loaded into',
  );
  t.same(
    // Fastify's own error serialiser, compiled in advance, needs fast-json-stringify's runtime only.
    loaded.filter((file) =>
      /\/node_modules\/(ajv\/|@fastify\/ajv-compiler\/|fast-json-stringify\/index\.js)/.test(file),
    ),
    [],
    'no default compiler of Fastify was loaded',
  );
});

t.test('the routes still validate and serialise with their own schemas', async (t) => {
  const refused = await ta.app.inject({
    method: 'POST',
    url: '/v1/auth/challenge',
    payload: { unknown: 1 },
  });
  t.equal(refused.statusCode, 400, 'an invalid body is refused');
  t.equal(refused.json<{ code: string }>().code, 'VALIDATION_FAILED', 'by the zod schema of the route');
  const health = await stats.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 200, 'the statistics server answers');
});
