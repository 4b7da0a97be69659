import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { childEnv } from '../lib/child-env.js';
import { peakRssMb } from '../lib/rss.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 8: `npm start` as an operator runs it (node bin/server.js, embedded PGlite),
// from the spawn to the first 200 of /healthz, on a fresh data directory (initdb, migrations, keys,
// the first CLSM) and on an existing one; peak memory is the process's VmHWM at that moment.

export interface StartupParams {
  runs: number;
  /** Where the data directories are made. */
  workDir: string;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
    s.on('error', reject);
  });

async function startOnce(dataDir: string): Promise<{ ms: number; rssMb: number | undefined }> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const start = performance.now();
  // stdout is not read: a first start prints the coordinator's one-time code there.
  const child = spawn(process.execPath, ['bin/server.js'], {
    cwd: PROJECT_ROOT,
    env: childEnv({
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      STATS_PORT: String(statsPort),
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const state = { alive: true };
  void exited.then(() => (state.alive = false));
  try {
    for (;;) {
      if (!state.alive) throw new Error(`the server exited during start-up: ${stderr.slice(-500)}`);
      if (performance.now() - start > 120_000)
        throw new Error('the server did not answer /healthz within 120 s');
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - start;
    return { ms, rssMb: child.pid === undefined ? undefined : peakRssMb(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startup(params: StartupParams): Promise<RowInput[]> {
  const fresh: { ms: number; rssMb: number | undefined }[] = [];
  const existing: typeof fresh = [];
  let dir = '';
  for (let run = 0; run < params.runs; run += 1) {
    dir = await mkdtemp(path.join(params.workDir, 'start-'));
    fresh.push(await startOnce(dir));
  }
  // The last fresh directory, now initialised, stopped cleanly, and reopened each time.
  for (let run = 0; run < params.runs; run += 1) existing.push(await startOnce(dir));
  const peak = (xs: typeof fresh) => Math.max(...xs.map((x) => x.rssMb ?? 0));
  return [
    {
      id: 'startup-fresh',
      scenario: 8,
      name: 'npm start to /healthz, fresh data directory',
      unit: 'ms',
      higherIsBetter: false,
      runs: fresh.map((x) => x.ms),
      peakRssMb: peak(fresh),
    },
    {
      id: 'startup-existing',
      scenario: 8,
      name: 'npm start to /healthz, existing data directory',
      unit: 'ms',
      higherIsBetter: false,
      runs: existing.map((x) => x.ms),
      peakRssMb: peak(existing),
    },
  ];
}
