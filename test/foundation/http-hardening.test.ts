import { readFile } from 'node:fs/promises';
import http from 'node:http';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { listen } from '../helpers/members.js';

const problemType = /^application\/problem\+json/;
// Refused by Fastify's router before any hook runs.
const LONG_PARAM = `/v1/cases/${'a'.repeat(150)}`;
const BAD_ENCODING = '/v1/cases/%C0%AF';
const MEGABYTE = 1024 * 1024;

t.test('every answer carries the security headers, no-store and a request id', async (t) => {
  const { app } = await startTestApp(t);
  for (const url of ['/healthz', '/v1/me', '/nowhere', LONG_PARAM, BAD_ENCODING]) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.headers['x-content-type-options'], 'nosniff', url);
    t.match(res.headers['content-security-policy'], /default-src 'none'/, url);
    t.match(res.headers['strict-transport-security'], /max-age=\d+/, url);
    t.equal(res.headers['x-frame-options'], 'DENY', url);
    t.equal(res.headers['referrer-policy'], 'no-referrer', url);
    t.equal(res.headers['cache-control'], 'no-store', url);
    t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/, url);
  }
});

t.test('a URL the router refuses is a problem that does not echo the path', async (t) => {
  const { app } = await startTestApp(t);
  for (const url of [LONG_PARAM, BAD_ENCODING]) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 400, url);
    t.match(res.headers['content-type'], problemType, url);
    t.match(res.json(), { code: 'VALIDATION_FAILED', requestId: res.headers['x-request-id'] }, url);
    t.notOk(res.body.includes('aaaa') || res.body.includes('%C0'), 'the path is not echoed');
  }
});

t.test('the log names routes, never the path a request asked for', async (t) => {
  const { app, logFile } = await startTestApp(t);
  const marker = 'zq7marker';
  const urls = [`/nowhere/${marker}`, `/v1/cases/${marker.repeat(20)}`, `/v1/cases/${marker}%C0%AF`];
  for (const url of urls) await app.inject({ method: 'GET', url });
  await app.inject({ method: 'GET', url: '/v1/cases/0b0b0b0b-0000-4000-8000-000000000000' });
  const log = await readFile(logFile, 'utf8');
  t.notOk(log.includes(marker), 'nothing of an unmatched or refused path is logged');
  t.notOk(log.includes('0b0b0b0b'), 'identifiers in a matched path are not logged');
  t.ok(log.includes('"route":"(no route)"'), 'an unmatched request is logged without its path');
  t.ok(log.includes('"route":"/v1/cases/:id"'), 'a matched request is logged by its route pattern');
});

t.test('CORS is closed unless origins are configured', async (t) => {
  const { app } = await startTestApp(t);
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/v1/me',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
  });
  t.notOk(res.headers['access-control-allow-origin']);
  const open = await startTestApp(t, { env: { CORS_ORIGINS: 'https://app.clsm.example' } });
  const ok = await open.app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { origin: 'https://app.clsm.example' },
  });
  t.equal(ok.headers['access-control-allow-origin'], 'https://app.clsm.example');
  const other = await open.app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { origin: 'https://evil.example' },
  });
  t.notOk(other.headers['access-control-allow-origin']);
});

t.test('the global rate limit answers 429 problem details, unknown routes included', async (t) => {
  const { app } = await startTestApp(t, { env: { RATE_LIMIT_MAX: '3' } });
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
  const res = await app.inject({ method: 'GET', url: '/nowhere' });
  t.equal(res.statusCode, 429);
  t.match(res.headers['content-type'], problemType);
  t.equal(res.json().code, 'RATE_LIMITED');
  t.ok(res.headers['retry-after']);
});

t.test('authentication routes have a stricter limit than the rest', async (t) => {
  const { app } = await startTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '2', RATE_LIMIT_MAX: '100' } });
  const payload = {
    tenantId: '6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f',
    memberId: '1b9e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  };
  const codes: number[] = [];
  for (let i = 0; i < 3; i++)
    codes.push((await app.inject({ method: 'POST', url: '/v1/auth/challenge', payload })).statusCode);
  t.same(codes, [200, 200, 429]);
  t.equal(
    (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
    200,
    'other routes are not affected',
  );
});

t.test('bodies: size limit 413, JSON only 415, unknown fields and bad JSON 400', async (t) => {
  const { app } = await startTestApp(t, { env: { BODY_LIMIT_BYTES: '1000' } });
  const url = '/v1/auth/challenge';
  const big = await app.inject({ method: 'POST', url, payload: { tenantId: 'x'.repeat(2000) } });
  t.equal(big.statusCode, 413);
  t.equal(big.json().code, 'PAYLOAD_TOO_LARGE');
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload: 'a=b' });
    t.equal(res.statusCode, 415, type);
    t.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE', type);
  }
  const extra = await app.inject({
    method: 'POST',
    url,
    payload: {
      tenantId: '6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f',
      memberId: '1b9e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      role: 'coordinator',
    },
  });
  t.equal(extra.statusCode, 400);
  t.equal(extra.json().code, 'VALIDATION_FAILED');
  const broken = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: '{"tenantId":',
  });
  t.equal(broken.statusCode, 400);
  t.equal(broken.json().code, 'MALFORMED_JSON');
  const proto = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: '{"__proto__":{"x":1}}',
  });
  t.equal(proto.statusCode, 400);
  t.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype untouched');
});

t.test(
  'a request head over 16 KB, a 1 MB URL among them, is refused with 431 before any route',
  async (t) => {
    const { app } = await startTestApp(t);
    const base = await listen(app);
    for (const c of ['a', 'é', '\u{1F600}']) {
      const res = await fetch(
        `${base}/v1/me?unexpected=${encodeURIComponent(c.repeat(MEGABYTE / c.length))}`,
      );
      t.equal(res.status, 431, `a megabyte of ${c}`);
    }
    const limit = await fetch(`${base}/v1/cases/${'a'.repeat(http.maxHeaderSize)}`);
    t.equal(limit.status, 431, 'one byte past the limit');
    t.equal((await fetch(`${base}/healthz`)).status, 200, 'the server still answers');
  },
);

t.test('a 5xx says nothing about what failed inside', async (t) => {
  const { app } = await startTestApp(t, {
    beforeReady: (a) =>
      a.get('/boom', { config: { public: true } }, () => {
        throw new Error('relation "secret_table" does not exist at /srv/clsm/src/internal.ts:42');
      }),
  });
  const res = await app.inject({ method: 'GET', url: '/boom' });
  t.equal(res.statusCode, 500);
  t.match(res.headers['content-type'], problemType);
  t.same(Object.keys(res.json()).sort(), ['code', 'detail', 'requestId', 'status', 'title', 'type']);
  t.equal(res.json().code, 'INTERNAL_ERROR');
  t.notMatch(res.body, /secret_table|internal\.ts|stack/);
});

t.test('undeclared methods answer 404, never 500; tokens in the query string are refused', async (t) => {
  const { app } = await startTestApp(t);
  for (const method of ['DELETE', 'PUT', 'PATCH', 'TRACE', 'OPTIONS'] as const) {
    const res = await app.inject({ method, url: '/healthz' });
    t.ok([404, 405].includes(res.statusCode), `${method} -> ${res.statusCode}`);
  }
  const res = await app.inject({ method: 'GET', url: '/v1/me?access_token=abc.def.ghi' });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'TOKEN_IN_QUERY');
});

t.test('liveness and readiness', async (t) => {
  const { app } = await startTestApp(t);
  t.same((await app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
  t.same((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
});

t.test('graceful shutdown lets in-flight requests finish, then refuses new ones', async (t) => {
  let release: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  const reached = new Promise<void>((r) => {
    arrived = r;
  });
  const { app } = await startTestApp(t, {
    beforeReady: (a) =>
      a.get('/slow', { config: { public: true } }, async () => {
        await new Promise<void>((r) => {
          release = r;
          arrived();
        });
        return { done: true };
      }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const inflight = fetch(`http://127.0.0.1:${port}/slow`);
  // The request is in its handler before the server starts closing, however loaded the machine.
  await reached;
  const closing = app.close();
  setTimeout(() => {
    release();
  }, 50);
  const res = await inflight;
  t.equal(res.status, 200);
  t.same(await res.json(), { done: true });
  await closing;
  await t.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
});
