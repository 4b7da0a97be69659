import t from 'tap';
import { kyselyOver } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import type { Database } from '../../src/db/schema.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { createCluster } from '../helpers/pg-cluster.js';
import { keyFiles, startApiProcess } from '../helpers/api-process.js';
import { firstCoordinator, invitations, invite } from '../helpers/audited-writes.js';
import { summarize } from '../helpers/run-summary.js';

// Two API processes behind one address, writing to the same CLSM at the same time: the audit log
// is still ONE chain, without gap or fork, and it verifies.

const WRITES = 400;
const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const keys = await keyFiles();
const urls = { app: cluster.url('clsm_app'), stats: cluster.url('clsm_stats') };
const owner = kyselyOver<Database>(postgresPool(cluster.url('postgres'), 2));
t.teardown(() => owner.destroy());

t.test(`two processes, ${WRITES} concurrent writes to one CLSM`, async (t) => {
  const first = await startApiProcess({ urls, keys });
  const { token, clsmId } = await firstCoordinator(first.url, first.enrollmentCode ?? '');
  const second = await startApiProcess({ urls, keys });
  t.equal(second.enrollmentCode, undefined, 'the second process joins the existing CLSM');
  const results = await Promise.all(
    Array.from({ length: WRITES }, async (_, i) => {
      const name = `twoapis-${i}`;
      return { name, status: await invite(i % 2 === 0 ? first.url : second.url, token, name) };
    }),
  );
  t.same([...new Set(results.map((r) => r.status))], [201], 'both processes acknowledged every write');
  const found = await invitations(owner, clsmId, 'twoapis-');
  const lost = results.filter((r) => !found.whole.has(r.name));
  t.same(lost, [], 'every write is there with its audit event');
  const seqs = (
    await owner
      .selectFrom('audit_events')
      .select('seq')
      .where('clsm_id', '=', clsmId)
      .orderBy('seq')
      .execute()
  ).map((r) => r.seq);
  t.same(
    seqs,
    Array.from({ length: seqs.length }, (_, i) => i + 1),
    `one chain: seq 1..${seqs.length}, no gap, no fork`,
  );
  const verdict = await verifyClsm(owner, clsmId);
  t.ok(verdict.ok, `the chain verifies (${verdict.events} events)`);
  for (const api of [first, second]) t.equal(await api.kill('SIGTERM'), '0', 'a process stops cleanly');
  t.teardown(() =>
    summarize(t, import.meta.url, {
      requests: results.length,
      faults: ['two API processes writing to one CLSM'],
      lost: lost.length,
      chains: [`two API processes: ${verdict.events} events, ${verdict.ok ? 'ok' : 'FAILED'}`],
    }),
  );
});
