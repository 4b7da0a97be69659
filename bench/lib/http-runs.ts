import { load, type HttpRequest, type LoadSpec } from './load.js';
import type { RowInput } from './summary.js';

// Drives the HTTP configurations of a scenario: a warm-up of each (JIT, pools, caches) that also
// sizes the measured runs to last about `runSeconds`, then the runs, interleaved across the
// configurations so that a slow moment of the shared machine hits all of them alike.

export type Source = ReturnType<LoadSpec['source']>;

export interface HttpConfig {
  id: string;
  scenario: number;
  name: string;
  baseline?: string;
  url: string;
  connections: number;
  /** Prepares the requests of one run (bodies are made before the clock starts). */
  requests(perConnection: number): Promise<(connection: number) => Source>;
}

export interface HttpRunOptions {
  runs: number;
  runSeconds: number;
  warmupPerConnection: number;
  minPerConnection: number;
  serverPid: number;
}

export const staticRequest = (request: HttpRequest) => () => ({ static: request });

export async function runHttp(configs: HttpConfig[], options: HttpRunOptions): Promise<RowInput[]> {
  const perConnection = new Map<string, number>();
  for (const config of configs) {
    const warm = await load({
      url: config.url,
      connections: config.connections,
      perConnection: options.warmupPerConnection,
      source: await config.requests(options.warmupPerConnection),
      serverPid: options.serverPid,
    });
    const sized = Math.round((warm.rate * options.runSeconds) / config.connections);
    perConnection.set(config.id, Math.max(options.minPerConnection, sized));
  }
  const runs = new Map(
    configs.map((c) => [c.id, { rates: [] as number[], p50: [] as number[], p99: [] as number[], rss: 0 }]),
  );
  for (let run = 0; run < options.runs; run += 1) {
    for (const config of configs) {
      const n = perConnection.get(config.id) ?? options.minPerConnection;
      const result = await load({
        url: config.url,
        connections: config.connections,
        perConnection: n,
        source: await config.requests(n),
        serverPid: options.serverPid,
      });
      const acc = runs.get(config.id);
      if (acc === undefined) continue;
      acc.rates.push(result.rate);
      acc.p50.push(result.p50Ms);
      acc.p99.push(result.p99Ms);
      acc.rss = Math.max(acc.rss, result.peakRssMb ?? 0);
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
      ...(c.baseline === undefined ? {} : { baseline: c.baseline }),
    };
  });
}
