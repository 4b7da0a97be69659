import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { countCpu, perRequest } from '../lib/cpu.js';
import { runHttp } from '../lib/http-runs.js';
import type { RowInput } from '../lib/summary.js';
import type { HttpBench } from './http-bench.js';

// Scenario 0: is the measuring tool right? A bare route with nothing behind it, measured by this
// benchmark's own load generator and by autocannon alone, in a process of its own as anyone would
// run it (`autocannon -d S -c C URL`). The two must agree before any other figure is believed:
// a harness that caps or inflates rates shows here first.

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface CliResult {
  '2xx': number;
  non2xx: number;
  duration: number;
}

async function autocannonAlone(
  url: string,
  connections: number,
  seconds: number,
): Promise<{ rate: number; requests: number }> {
  const { stdout } = await run(process.execPath, [
    cli,
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    url,
  ]);
  const result = JSON.parse(stdout) as CliResult;
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  return { rate: result['2xx'] / result.duration, requests: result['2xx'] };
}

export async function calibration(bench: HttpBench, connections: number): Promise<RowInput[]> {
  const url = bench.server.bareUrl;
  const c = connections;
  const rates: number[] = [];
  const alone = { serverCpuMs: [] as number[], databaseCpuMs: [] as number[] };
  const harness: RowInput[] = [];
  for (let i = 0; i < bench.options.runs; i += 1) {
    // One run of each in turn, so that a slow moment of the machine hits both alike.
    const [row] = await runHttp(
      [
        {
          id: `calibration-harness-${c}c`,
          scenario: 0,
          name: `bare route (no database), this benchmark's load generator, ${c} conn`,
          baseline: `calibration-autocannon-${c}c`,
          url,
          connections: c,
          requests: () =>
            Promise.resolve(() => ({ static: { method: 'GET', path: '/bare/ping', headers: {} } })),
        },
      ],
      { ...bench.options, runs: 1, warmupSeconds: i === 0 ? bench.options.warmupSeconds : 0 },
    );
    if (row !== undefined) harness.push(row);
    const cpu = countCpu(bench.options.serverPid, bench.options.countDatabaseCpu);
    const { rate, requests } = await autocannonAlone(
      `${url}/bare/ping`,
      c,
      Math.max(1, bench.options.runSeconds),
    );
    const { serverMs, databaseMs } = cpu.stop();
    rates.push(rate);
    const server = perRequest(serverMs, requests);
    const database = perRequest(databaseMs, requests);
    if (server !== undefined) alone.serverCpuMs.push(server);
    if (database !== undefined) alone.databaseCpuMs.push(database);
  }
  const some = (name: 'serverCpuMs' | 'databaseCpuMs', runs: number[]) =>
    runs.length === 0 ? {} : { [name]: runs };
  const first = harness[0];
  if (first === undefined) return [];
  return [
    {
      ...first,
      runs: harness.flatMap((h) => h.runs),
      p50Ms: harness.flatMap((h) => h.p50Ms ?? []),
      p99Ms: harness.flatMap((h) => h.p99Ms ?? []),
      ...some(
        'serverCpuMs',
        harness.flatMap((h) => h.serverCpuMs ?? []),
      ),
      ...some(
        'databaseCpuMs',
        harness.flatMap((h) => h.databaseCpuMs ?? []),
      ),
    },
    {
      id: `calibration-autocannon-${c}c`,
      scenario: 0,
      name: `bare route (no database), autocannon alone in its own process, ${c} conn`,
      unit: 'req/s',
      runs: rates,
      ...some('serverCpuMs', alone.serverCpuMs),
      ...some('databaseCpuMs', alone.databaseCpuMs),
    },
  ];
}
