import t from 'tap';
import pg from 'pg';
import { isLocalDatabase, postgresCpuMs, processCpuMs } from '../../bench/lib/cpu.js';

// The benchmark's CPU counters, checked against numbers known another way: this process's own
// CPU time as Node reports it, and a query that keeps one PostgreSQL process busy.

/** Keeps this thread busy until the process has used `ms` of CPU time, by Node's own count. */
function spin(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i += 1) x += Math.sqrt(x + i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  if (x < 0) throw new Error('unreachable');
}

t.test("a process's CPU time from /proc is what Node counts for itself", (t) => {
  const proc0 = processCpuMs(process.pid);
  const node0 = process.cpuUsage();
  spin(300);
  const proc1 = processCpuMs(process.pid);
  const node = process.cpuUsage(node0);
  if (proc0 === undefined || proc1 === undefined) throw new Error('/proc is not readable here');
  const nodeMs = (node.user + node.system) / 1000;
  // /proc counts in ticks of 10 ms; both counts are the whole process's, every thread.
  t.ok(
    Math.abs(proc1 - proc0 - nodeMs) <= 40,
    `/proc: ${(proc1 - proc0).toFixed(0)} ms, Node: ${nodeMs.toFixed(0)} ms`,
  );
  t.equal(processCpuMs(2 ** 30), undefined, 'a process that does not exist has no figure');
  t.end();
});

const url = process.env.DATABASE_URL ?? '';
const local = url !== '' && isLocalDatabase(url);

t.test(
  "PostgreSQL's CPU time counts a query that keeps it busy",
  { skip: !local && 'the suite runs on the embedded database: no PostgreSQL process to count' },
  async (t) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.teardown(() => client.end());
    await client.query('set max_parallel_workers_per_gather = 0');
    const before = postgresCpuMs();
    const started = performance.now();
    await client.query('select count(*) from generate_series(1, 5000000) g where g % 7 = 0');
    const wall = performance.now() - started;
    const after = postgresCpuMs();
    if (before === undefined || after === undefined) throw new Error('/proc is not readable here');
    // The query costs about 0.7 s of CPU on this project's machines; no idle process adds 100 ms.
    t.ok(
      after - before >= 100,
      `PostgreSQL's processes spent ${(after - before).toFixed(0)} ms of CPU on a ${wall.toFixed(0)} ms query`,
    );
  },
);

t.test('only a database on this machine is counted', (t) => {
  t.ok(isLocalDatabase('postgres://clsm_owner@127.0.0.1:5432/postgres'), '127.0.0.1');
  t.ok(isLocalDatabase('postgres://u@localhost/db'), 'localhost');
  t.ok(isLocalDatabase('postgres://u@[::1]:5432/db'), '::1');
  t.notOk(isLocalDatabase('postgres://u@db.example.org:5432/db'), 'another host');
  t.end();
});
