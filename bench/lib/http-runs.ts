import { load, PoolExhaustedError, type LoadRun, type Source } from './load.js';
import type { RowInput } from './summary.js';

// Drives the HTTP configurations of a scenario: a warm-up of each (JIT, pools, caches) that also
// sizes the pools of configurations whose requests all differ, then the runs, interleaved across
// the configurations so that a slow moment of the shared machine hits all of them alike.

export interface HttpConfig {
  id: string;
  scenario: number;
  name: string;
  baseline?: string;
  url: string;
  connections: number;
  /**
   * Prepares the requests of one run, `capacity` requests per connection for pool sources (bodies
   * are made before the clock starts; static sources ignore it).
   */
  requests(capacity: number): Promise<(connection: number) => Source>;
}

export interface HttpRunOptions {
  runs: number;
  runSeconds: number;
  warmupSeconds: number;
  serverPid: number;
  /** Whether PostgreSQL runs on this machine: each row then reports its CPU time per request. */
  countDatabaseCpu: boolean;
}

/** Each run's CPU time per request, kept only while every run could count it. */
class CpuRuns {
  server: number[] | undefined = [];
  database: number[] | undefined = [];

  add(run: LoadRun): void {
    this.server = run.serverCpuMs === undefined ? undefined : this.server?.concat(run.serverCpuMs);
    this.database = run.databaseCpuMs === undefined ? undefined : this.database?.concat(run.databaseCpuMs);
  }

  input(): Pick<RowInput, 'serverCpuMs' | 'databaseCpuMs'> {
    const some = (runs: number[] | undefined) => runs !== undefined && runs.length > 0;
    return {
      ...(some(this.server) ? { serverCpuMs: this.server } : {}),
      ...(some(this.database) ? { databaseCpuMs: this.database } : {}),
    };
  }
}

/** A first guess of the rate, for the warm-up's pools: a run that outgrows it is run again. */
const FIRST_GUESS_PER_SECOND = 2_000;
/** Head room over the rate seen last time: a run that beats it by more is run again, larger. */
const HEADROOM = 1.5;
const MAX_ATTEMPTS = 5;

export async function runHttp(configs: HttpConfig[], options: HttpRunOptions): Promise<RowInput[]> {
  const capacity = new Map<string, number>();
  const sized = (c: HttpConfig, rate: number, seconds: number) =>
    Math.ceil((rate * seconds * HEADROOM) / c.connections) + 20;
  const measure = async (c: HttpConfig, seconds: number): Promise<LoadRun> => {
    for (let attempt = 1; ; attempt += 1) {
      const perConnection = capacity.get(c.id) ?? sized(c, FIRST_GUESS_PER_SECOND, seconds);
      try {
        return await load({
          url: c.url,
          connections: c.connections,
          seconds,
          source: await c.requests(perConnection),
          serverPid: options.serverPid,
          countDatabaseCpu: options.countDatabaseCpu,
        });
      } catch (err) {
        if (!(err instanceof PoolExhaustedError) || attempt === MAX_ATTEMPTS) throw err;
        capacity.set(c.id, perConnection * 2);
      }
    }
  };
  for (const c of configs) {
    if (options.warmupSeconds <= 0) continue;
    const warm = await measure(c, options.warmupSeconds);
    capacity.set(c.id, sized(c, warm.rate, options.runSeconds));
  }
  const runs = new Map(
    configs.map((c) => [
      c.id,
      { rates: [] as number[], p50: [] as number[], p99: [] as number[], rss: 0, cpu: new CpuRuns() },
    ]),
  );
  for (let run = 0; run < options.runs; run += 1) {
    for (const c of configs) {
      const result = await measure(c, options.runSeconds);
      capacity.set(c.id, Math.max(capacity.get(c.id) ?? 0, sized(c, result.rate, options.runSeconds)));
      const acc = runs.get(c.id);
      if (acc === undefined) continue;
      acc.rates.push(result.rate);
      acc.p50.push(result.p50Ms);
      acc.p99.push(result.p99Ms);
      acc.rss = Math.max(acc.rss, result.peakRssMb ?? 0);
      acc.cpu.add(result);
    }
  }
  return configs.map((c) => {
    const acc = runs.get(c.id);
    return {
      id: c.id,
      scenario: c.scenario,
      name: c.name,
      unit: 'req/s',
      runs: acc?.rates ?? [],
      p50Ms: acc?.p50 ?? [],
      p99Ms: acc?.p99 ?? [],
      ...(acc !== undefined && acc.rss > 0 ? { peakRssMb: acc.rss } : {}),
      ...acc?.cpu.input(),
      ...(c.baseline === undefined ? {} : { baseline: c.baseline }),
    };
  });
}
