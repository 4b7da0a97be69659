import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { startStatsApp } from '../helpers/stats.js';

// The web app, served by the API, reads the bilan from the statistics server's own origin
// (docs/adr/0024): any origin may read with a token, see the content hash, and nothing else.

t.test('the statistics server answers a browser of another origin, for reading only', async (t) => {
  const ta = await startTestApp(t);
  const stats = await startStatsApp(t, ta);
  const origin = 'https://clsm.example';

  const preflight = await stats.inject({
    method: 'OPTIONS',
    url: '/v1/stats/0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11/2025',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
  t.equal(preflight.statusCode, 204, 'a preflight needs no token');
  t.equal(preflight.headers['access-control-allow-origin'], '*');
  t.equal(preflight.headers['access-control-allow-methods'], 'GET', 'reading only');
  t.notOk(preflight.headers['access-control-allow-credentials'], 'never with cookies');

  const read = await stats.inject({
    method: 'GET',
    url: '/v1/stats/0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11/2025',
    headers: { origin },
  });
  t.equal(read.statusCode, 401, 'still a token to show');
  t.equal(read.headers['access-control-allow-origin'], '*');
  t.match(String(read.headers['access-control-expose-headers']), /x-content-sha256/, 'the hash is readable');

  const api = await ta.app.inject({
    method: 'OPTIONS',
    url: '/v1/me',
    headers: { origin, 'access-control-request-method': 'GET' },
  });
  t.notOk(api.headers['access-control-allow-origin'], 'the API stays closed to other origins');
});
