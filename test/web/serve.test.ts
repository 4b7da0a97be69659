import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { listen } from '../helpers/members.js';
import { WEB_APP_SETTINGS_PATH, webAppCsp } from '../../src/http/web-app.js';

// The web app is served by the API's own server: index and app paths under the app's strict CSP,
// hashed assets cached for good, and the API untouched (its own CSP, no-store, 404 problems).

const root = mkdtempSync(path.join(os.tmpdir(), 'clsm-web-'));
mkdirSync(path.join(root, 'assets'));
const INDEX =
  '<!doctype html><html lang="fr"><head><script type="module" src="/assets/index-AbC123.js" ' +
  'integrity="sha384-x" crossorigin></script></head><body><div id="root"></div></body></html>';
writeFileSync(path.join(root, 'index.html'), INDEX);
writeFileSync(path.join(root, 'assets', 'index-AbC123.js'), 'console.log("app")');

t.test('the app, its paths and its assets are served over HTTP; the API keeps its rules', async (t) => {
  const stats = 'https://stats.clsm.example/';
  const { app } = await startTestApp(t, { env: { WEB_ROOT: root, STATS_PUBLIC_URL: stats } });
  const base = await listen(app);
  const WEB_APP_CSP = webAppCsp(stats);

  for (const url of ['/', '/situations/0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11', '/deverrouiller?x=1']) {
    const res = await fetch(base + url);
    t.equal(res.status, 200, `${url} loads the app`);
    t.equal(await res.text(), INDEX);
    t.match(res.headers.get('content-type'), /^text\/html/);
    t.equal(res.headers.get('content-security-policy'), WEB_APP_CSP);
    t.equal(res.headers.get('cache-control'), 'no-cache', 'the index is revalidated');
    t.equal(res.headers.get('x-frame-options'), 'DENY');
  }
  const csp = WEB_APP_CSP.split('; ');
  t.ok(csp.includes("script-src 'self' 'wasm-unsafe-eval'"), 'only own scripts, and WebAssembly');
  t.ok(csp.includes("frame-ancestors 'none'"));
  t.notOk(WEB_APP_CSP.includes('unsafe-inline'), 'no inline script or style');
  t.ok(
    csp.includes("connect-src 'self' https://stats.clsm.example"),
    'connections to this server and to the statistics server only',
  );

  const settings = await fetch(base + WEB_APP_SETTINGS_PATH);
  t.equal(settings.status, 200);
  t.same(await settings.json(), { statsServer: stats }, 'the app learns where the bilan is read');

  const asset = await fetch(`${base}/assets/index-AbC123.js`);
  t.equal(asset.status, 200);
  t.match(asset.headers.get('content-type'), /javascript/);
  t.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.equal(
    asset.headers.get('content-security-policy'),
    WEB_APP_CSP,
    'a worker script runs under the app policy',
  );

  const missing = await fetch(`${base}/assets/index-Zzz999.js`);
  t.equal(missing.status, 404, 'a missing asset is not answered with the index');
  t.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  t.equal(missing.headers.get('cache-control'), 'no-store');

  const unknownApi = await fetch(`${base}/v1/nothing-here`);
  t.equal(unknownApi.status, 404);
  t.equal(((await unknownApi.json()) as { code: string }).code, 'NOT_FOUND');
  t.equal(unknownApi.headers.get('cache-control'), 'no-store');

  const api = await fetch(`${base}/healthz`);
  t.equal(api.headers.get('cache-control'), 'no-store', 'API answers are never cached');
  t.equal(api.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");

  const protectedApi = await fetch(`${base}/v1/me`);
  t.equal(protectedApi.status, 401, 'the API still needs a token');
  t.equal(protectedApi.headers.get('cache-control'), 'no-store');
});

t.test('without a built app, the server serves the API only', async (t) => {
  const { app } = await startTestApp(t, { env: { WEB_ROOT: path.join(root, 'absent') } });
  const base = await listen(app);
  const res = await fetch(`${base}/`);
  t.equal(res.status, 404);
  t.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
});
