import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openApiDocument, serialise } from '../../src/openapi-document.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { startTestApp } from '../helpers/app.js';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
}

/** Every (method, path) of the router, from its printed tree: no route can hide from this list. */
function routesOf(printed: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] ?? '').length / 4;
    stack[depth] = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (m[2] ?? '');
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method !== '' && method !== 'HEAD') routes.push(`${method} ${stack[depth] ?? ''}`);
    }
  }
  return routes;
}

const { document, app } = await openApiDocument();
const doc = document as Document;

t.test('docs/openapi.json is the document the code generates', async (t) => {
  const onDisk = await readFile(path.join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8');
  t.equal(onDisk, serialise(document), 'stale docs/openapi.json: run npm run openapi');
  t.equal(doc.openapi, '3.1.0');
});

t.test('every registered route is in the document, and documents its errors', async (t) => {
  const routes = routesOf(app.printRoutes({ commonPrefix: false }));
  t.ok(routes.length > 40, `${routes.length} routes`);
  // The CORS plugin's catch-all preflight handler answers browsers, not API clients.
  for (const route of routes.filter((r) => r !== 'OPTIONS *')) {
    const [method, url] = route.split(' ') as [string, string];
    const operation = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    if (operation === undefined) {
      t.fail(`${route} is missing from the OpenAPI document`);
      continue;
    }
    const statuses = Object.keys(operation.responses);
    if (!statuses.some((s) => s.startsWith('2'))) t.fail(`${route} documents no success`);
    for (const s of ['429', '500', '503'])
      if (!statuses.includes(s)) t.fail(`${route} does not document ${s}`);
    const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
    if (!isPublic && !statuses.includes('401')) t.fail(`${route} is authenticated but does not document 401`);
  }
});

t.test('the viewer is served at /docs when enabled, and absent otherwise', async (t) => {
  const on = await startTestApp(t, { env: { DOCS_ENABLED: 'true' } });
  const page = await on.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  const json = await on.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(json.json().openapi, '3.1.0');
  const off = await startTestApp(t, { env: { DOCS_ENABLED: 'false' } });
  t.equal((await off.app.inject({ method: 'GET', url: '/docs/' })).statusCode, 404);
});
