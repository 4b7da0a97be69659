import t from 'tap';
import { kyselyOver } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import type { Database } from '../../src/db/schema.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { createCluster } from '../helpers/pg-cluster.js';
import { keyFiles, startApiProcess } from '../helpers/api-process.js';
import { firstCoordinator, invitations, invite } from '../helpers/audited-writes.js';
import { summarize } from '../helpers/run-summary.js';

// PostgreSQL killed with SIGKILL (a crash, the OOM killer) in the middle of 1,000 concurrent
// audited writes to the API process. After its crash recovery, every write the API acknowledged
// is there with its audit event, nothing is torn, and the chain verifies.

const WRITES = 1000;
const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const keys = await keyFiles();
const urls = { app: cluster.url('clsm_app'), stats: cluster.url('clsm_stats') };
const owner = kyselyOver<Database>(postgresPool(cluster.url('postgres'), 2));
t.teardown(() => owner.destroy());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test(`SIGKILL to PostgreSQL during ${WRITES} concurrent writes`, async (t) => {
  const api = await startApiProcess({ urls, keys });
  t.teardown(() => api.kill('SIGTERM'));
  const { token, clsmId } = await firstCoordinator(api.url, api.enrollmentCode ?? '');
  let acknowledgedSoFar = 0;
  const writes = Array.from({ length: WRITES }, async (_, i) => {
    const name = `kill-${i}`;
    const status = await invite(api.url, token, name);
    if (status === 201) acknowledgedSoFar += 1;
    return { name, status };
  });
  // Kill once a good part of the writes is through, so that others are in flight.
  for (let i = 0; i < 600 && acknowledgedSoFar < WRITES / 5; i++) await sleep(10);
  const before = acknowledgedSoFar;
  await cluster.kill();
  const results = await Promise.all(writes);
  await cluster.start();

  const survived = api.alive();
  t.ok(survived, 'the API process survived the crash of its database');
  if (survived) {
    let ready = 0;
    for (let i = 0; i < 300 && ready !== 200; i++) {
      ready = await fetch(`${api.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready !== 200) await sleep(100);
    }
    t.equal(ready, 200, 'and is ready again once the database recovered');
  }

  const acknowledged = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status !== 201);
  t.comment(
    `${before} writes acknowledged when PostgreSQL was killed, ${acknowledged.length} in all, ${refused.length} refused or cut off`,
  );
  t.ok(acknowledged.length > 0 && refused.length > 0, 'the kill happened in the middle of the writes');
  t.same(
    [...new Set(refused.map((r) => r.status))].filter((s) => s !== 503),
    [],
    'writes refused by the crash answered 503',
  );
  const found = await invitations(owner, clsmId, 'kill-');
  const lost = acknowledged.filter((r) => !found.whole.has(r.name));
  t.same(lost, [], 'every acknowledged write survived the crash');
  t.same(found.torn, [], 'each write is there with exactly one audit event');
  t.equal(found.orphanEvents, 0, 'no audit event without its write');
  t.comment(`${found.whole.size - acknowledged.length} writes committed whose answer was lost in the crash`);
  const verdict = await verifyClsm(owner, clsmId);
  t.ok(verdict.ok, `the chain verifies (${verdict.events} events)`);
  t.teardown(() =>
    summarize(t, import.meta.url, {
      requests: results.length,
      faults: ['PostgreSQL killed with SIGKILL during concurrent writes'],
      lost: lost.length,
      chains: [`PostgreSQL SIGKILL: ${verdict.events} events, ${verdict.ok ? 'ok' : 'FAILED'}`],
    }),
  );
});
