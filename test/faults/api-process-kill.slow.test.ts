import t from 'tap';
import { kyselyOver } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import type { Database } from '../../src/db/schema.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { createCluster } from '../helpers/pg-cluster.js';
import { keyFiles, startApiProcess } from '../helpers/api-process.js';
import { firstCoordinator, invitations, invite } from '../helpers/audited-writes.js';
import { summarize } from '../helpers/run-summary.js';

// The API process killed with SIGKILL in the middle of concurrent writes: no graceful shutdown,
// transactions cut wherever they were. Each write is then whole (its row and its audit event) or
// absent, every acknowledged one is there, the chain verifies, and a new process serves again.

const WRITES = 600;
const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const keys = await keyFiles();
const urls = { app: cluster.url('clsm_app'), stats: cluster.url('clsm_stats') };
const owner = kyselyOver<Database>(postgresPool(cluster.url('postgres'), 2));
t.teardown(() => owner.destroy());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test(`SIGKILL to the API during ${WRITES} concurrent writes`, async (t) => {
  const api = await startApiProcess({ urls, keys });
  t.ok(api.enrollmentCode, 'the first start created a CLSM and wrote its enrollment code to its file');
  const { token, clsmId } = await firstCoordinator(api.url, api.enrollmentCode ?? '');
  let acknowledgedSoFar = 0;
  const writes = Array.from({ length: WRITES }, async (_, i) => {
    const name = `apikill-${i}`;
    const status = await invite(api.url, token, name);
    if (status === 201) acknowledgedSoFar += 1;
    return { name, status };
  });
  for (let i = 0; i < 600 && acknowledgedSoFar < WRITES / 5; i++) await sleep(10);
  t.equal(await api.kill('SIGKILL'), 'SIGKILL', 'the process died of SIGKILL');
  const results = await Promise.all(writes);

  const acknowledged = results.filter((r) => r.status === 201);
  const unanswered = results.filter((r) => r.status === 0);
  t.comment(`${acknowledged.length} writes acknowledged, ${unanswered.length} cut off by the kill`);
  t.ok(acknowledged.length > 0 && unanswered.length > 0, 'the kill happened in the middle of the writes');
  t.same(
    results.filter((r) => r.status !== 201 && r.status !== 0),
    [],
    'every write was acknowledged or cut off',
  );
  // A new process seals, before it serves, the events of writes whose answer the kill cut off.
  const next = await startApiProcess({ urls, keys });
  const found = await invitations(owner, clsmId, 'apikill-');
  const lost = acknowledged.filter((r) => !found.whole.has(r.name));
  t.same(lost, [], 'every acknowledged write is there');
  t.same(found.torn, [], 'every write is whole: its row with exactly one audit event');
  t.equal(found.orphanEvents, 0, 'or absent: no audit event without its row');
  const verdict = await verifyClsm(owner, clsmId);
  t.ok(verdict.ok, `the chain verifies (${verdict.events} events)`);

  t.equal(await invite(next.url, token, 'apikill-after'), 201, 'a new process serves the same sessions');
  t.equal(await next.kill('SIGTERM'), '0', 'and stops cleanly');
  t.teardown(() =>
    summarize(t, import.meta.url, {
      requests: results.length + 1,
      faults: ['API process killed with SIGKILL during concurrent writes'],
      lost: lost.length,
      chains: [`API SIGKILL: ${verdict.events} events, ${verdict.ok ? 'ok' : 'FAILED'}`],
    }),
  );
});
