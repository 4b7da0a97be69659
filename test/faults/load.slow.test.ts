import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { createCluster } from '../helpers/pg-cluster.js';
import { keyFiles, startApiProcess } from '../helpers/api-process.js';
import { firstCoordinator } from '../helpers/audited-writes.js';
import { summarize } from '../helpers/run-summary.js';

// 200 connections from one address, far beyond the production rate limit, reading and writing at
// once: the API answers each request with a 2xx, a 429 or a 503, closes no connection on anyone,
// does not crash, and its memory stays bounded. The peak resident set is printed.

const CONNECTIONS = 200;
const SECONDS = 10;
const RATE_LIMIT = 600;
/** One API process with 200 clients at once (docs/operations.md). */
const PEAK_RSS_LIMIT_MB = 600;

const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const keys = await keyFiles();
const urls = { app: cluster.url('clsm_app'), stats: cluster.url('clsm_stats') };

t.test(`${CONNECTIONS} connections beyond the rate limit`, async (t) => {
  const api = await startApiProcess({ urls, keys, env: { RATE_LIMIT_MAX: String(RATE_LIMIT) } });
  const { token } = await firstCoordinator(api.url, api.enrollmentCode ?? '');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Each invitation names an id and a code hash of its own, as an inviter's device makes them.
  const invitation = () =>
    JSON.stringify({
      role: 'partner',
      organisation: 'Bailleur',
      displayName: 'load',
      invitationId: randomUUID(),
      codeHash: randomBytes(32).toString('base64'),
    });
  const storm = () =>
    autocannon({
      url: api.url,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 10,
      requests: [
        { method: 'GET', path: '/v1/cases', headers },
        {
          method: 'POST',
          path: '/v1/members/invitations',
          headers,
          setupRequest: (request) => ({ ...request, body: invitation() }),
        },
        { method: 'GET', path: '/v1/me', headers },
      ],
    });
  const peakMb = async () => Math.round((await api.peakRssKb()) / 1024);
  const result = await storm();
  const firstPeak = await peakMb();
  const statuses = Object.keys(result.statusCodeStats ?? {}).map(Number);
  const unexpected = statuses.filter((s) => !(s >= 200 && s < 300) && s !== 429 && s !== 503);
  t.same(unexpected, [], `only 2xx, 429 and 503 (got ${statuses.join(', ')})`);
  t.ok(statuses.includes(429), 'the rate limit refused the excess');
  t.ok(result['2xx'] > 0 && result['2xx'] <= RATE_LIMIT, `at most the limit went through (${result['2xx']})`);
  t.equal(result.errors, 0, 'no connection was dropped or reset');
  t.equal(result.timeouts, 0, 'no request went unanswered');

  const refused = await fetch(`${api.url}/v1/me`, { headers });
  t.equal(refused.status, 429, 'the limit still holds after the storm');
  t.match(refused.headers.get('content-type'), /^application\/problem\+json/, 'as problem details');
  t.match(await refused.json(), { code: 'RATE_LIMITED' }, 'code RATE_LIMITED');
  t.ok(api.alive(), 'the process is still running');

  // Bounded: a second storm of the same size keeps the peak under the same limit. The resident set
  // between the two is not compared: V8 grows its heap lazily, and that growth is not a leak.
  const again = await storm();
  const peak = await peakMb();
  t.comment(
    `load: ${result.requests.total + again.requests.total} requests, peak RSS ${firstPeak} then ${peak} MB`,
  );
  t.same(Object.keys(again.statusCodeStats ?? {}), ['429'], 'the second storm: all over the limit');
  t.ok(peak < PEAK_RSS_LIMIT_MB, `peak RSS ${peak} MB < ${PEAK_RSS_LIMIT_MB} MB`);
  t.equal(await api.kill('SIGTERM'), '0', 'and it stops cleanly');
  t.teardown(() =>
    summarize(t, import.meta.url, {
      requests: result.requests.total + again.requests.total,
      faults: [`${CONNECTIONS} connections beyond the rate limit (peak RSS ${peak} MB)`],
    }),
  );
});
