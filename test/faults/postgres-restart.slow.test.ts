import t from 'tap';
import { kyselyOver } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import type { Database } from '../../src/db/schema.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { createCluster } from '../helpers/pg-cluster.js';
import { keyFiles, startApiProcess } from '../helpers/api-process.js';
import { firstCoordinator, invitations, invite } from '../helpers/audited-writes.js';
import { summarize } from '../helpers/run-summary.js';

// PostgreSQL restarted under a stream of audited writes, the API process left running: during
// the outage it answers 503 problem details; once the database is back it serves writes again
// within 30 s; every write it acknowledged is in the database afterwards, whole, and the chain
// verifies.

const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const keys = await keyFiles();
const urls = { app: cluster.url('clsm_app'), stats: cluster.url('clsm_stats') };
const owner = kyselyOver<Database>(postgresPool(cluster.url('postgres'), 2));
t.teardown(() => owner.destroy());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  name: string;
  status: number;
  at: number;
}

t.test('a restart of PostgreSQL during a stream of writes', async (t) => {
  const api = await startApiProcess({ urls, keys });
  t.teardown(() => api.kill('SIGTERM'));
  const { token, clsmId } = await firstCoordinator(api.url, api.enrollmentCode ?? '');
  const answers: Answer[] = [];
  const outageAnswers: { status: number; type: string; code: unknown }[] = [];
  let phase: 'up' | 'down' | 'back' = 'up';
  const down = () => phase === 'down';
  let running = true;
  let n = 0;
  const stream = async () => {
    while (running) {
      const name = `restart-${n++}`;
      answers.push({ name, status: await invite(api.url, token, name), at: Date.now() });
      await sleep(10);
    }
  };
  const probe = async () => {
    // What the API says while the database is away: a request every 100 ms.
    while (running) {
      if (down()) {
        const res = await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } }).catch(
          () => undefined,
        );
        const body = (await res?.json().catch(() => ({}))) as { code?: unknown } | undefined;
        // Only answers given while the database was still away count.
        if (down()) {
          outageAnswers.push({
            status: res?.status ?? 0,
            type: res?.headers.get('content-type') ?? '',
            code: body?.code,
          });
        }
      }
      await sleep(100);
    }
  };
  const streams = [stream(), stream(), stream(), stream(), probe()];
  await sleep(1500);
  // The outage, as the probe counts it: from the moment the server is down to the moment it is
  // being started again, never while it shuts down or starts.
  await cluster.stop('fast');
  phase = 'down';
  await sleep(3000);
  phase = 'back';
  await cluster.start();
  const back = Date.now();
  let firstAfter: number | undefined;
  for (let i = 0; i < 300 && firstAfter === undefined && api.alive(); i++) {
    await sleep(100);
    firstAfter = answers.find((a) => a.at > back && a.status === 201)?.at;
  }
  await sleep(1000);
  running = false;
  await Promise.all(streams);

  const survived = api.alive();
  t.ok(survived, 'the API process survived the restart of its database');
  const acknowledged = answers.filter((a) => a.status === 201);
  const refused = answers.filter((a) => a.status !== 201);
  t.ok(acknowledged.length > 20, `${acknowledged.length} writes acknowledged`);
  t.ok(refused.length > 0, `${refused.length} writes refused while the database was away`);
  if (survived) {
    t.same([...new Set(refused.map((a) => a.status))], [503], 'every refused write was answered 503');
    t.ok(outageAnswers.length > 0, `${outageAnswers.length} requests answered during the outage`);
    t.ok(
      outageAnswers.every(
        (a) =>
          a.status === 503 &&
          a.type.startsWith('application/problem+json') &&
          a.code === 'SERVICE_UNAVAILABLE',
      ),
      `during the outage: 503 problem details, SERVICE_UNAVAILABLE (${JSON.stringify([...new Set(outageAnswers.map((a) => `${a.status} ${String(a.code)}`))])})`,
    );
    t.ok(
      firstAfter !== undefined && firstAfter - back < 30_000,
      'writes served again within 30 s, same process',
    );
    t.comment(
      `recovery: first acknowledged write ${firstAfter === undefined ? 'never' : `${firstAfter - back} ms`} after the restart`,
    );
  }

  const found = await invitations(owner, clsmId, 'restart-');
  const lost = acknowledged.filter((a) => !found.whole.has(a.name));
  t.same(lost, [], 'every acknowledged write is in the database');
  t.same(found.torn, [], 'no write without its audit event');
  t.equal(found.orphanEvents, 0, 'no audit event without its write');
  const verdict = await verifyClsm(owner, clsmId);
  t.ok(verdict.ok, `the chain verifies (${verdict.events} events)`);
  t.teardown(() =>
    summarize(t, import.meta.url, {
      requests: answers.length + outageAnswers.length,
      faults: ['PostgreSQL restarted (fast shutdown) during writes'],
      lost: lost.length,
      chains: [`PostgreSQL restart: ${verdict.events} events, ${verdict.ok ? 'ok' : 'FAILED'}`],
    }),
  );
});
