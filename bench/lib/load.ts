import autocannon from 'autocannon';
import { countCpu, perRequest } from './cpu.js';
import { sampleRss } from './rss.js';

// HTTP load with autocannon, from this process, against a server in another process, for a fixed
// duration. (autocannon's `amount` mode ends a run on its one-second tick: 400 requests "took"
// 1.01 s however fast the server was, which capped every fast configuration near 2,000 req/s.)
// Every connection sends its own sequence of requests (its own bearer token, its own fresh entries),
// and every answer must be a 2xx: a refused request (a duplicate id, a bad signature, a rate limit)
// measures nothing, so a single one fails the run.

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The requests of one connection: `static` when it sends the same request every time, `pool` when
 * each request differs (made before the clock starts; a run that uses them all up is run again
 * with a larger pool, see http-runs.ts).
 */
export type Source = { static: HttpRequest } | { pool: readonly HttpRequest[] };

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  source: (connection: number) => Source;
  /** The server process, whose RSS is sampled and CPU time counted during the run. */
  serverPid: number;
  /** Whether PostgreSQL runs on this machine: its processes' CPU time is counted too. */
  countDatabaseCpu: boolean;
}

export interface LoadRun {
  /** 2xx answers per second over the run's measured duration. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  peakRssMb: number | undefined;
  /** CPU time per 2xx answer, in ms: the server process's, and PostgreSQL's processes'. */
  serverCpuMs: number | undefined;
  databaseCpuMs: number | undefined;
}

export class RefusedRequestsError extends Error {
  override name = 'RefusedRequestsError';
}

/** A connection sent more requests than its pool held: the run measured nothing, run it again. */
export class PoolExhaustedError extends Error {
  override name = 'PoolExhaustedError';
}

export async function load(spec: LoadSpec): Promise<LoadRun> {
  let nextConnection = 0;
  const pools = { exhausted: false };
  const rss = sampleRss(spec.serverPid);
  const cpu = countCpu(spec.serverPid, spec.countDatabaseCpu);
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    setupClient: (client) => {
      const source = spec.source(nextConnection++);
      if ('static' in source) {
        client.setRequests([source.static]);
        return;
      }
      let i = 0;
      const { pool } = source;
      client.setRequests([
        {
          setupRequest: (defaults) => {
            if (i >= pool.length) pools.exhausted = true;
            const request = pool[i % pool.length] as HttpRequest;
            i += 1;
            return { ...defaults, ...request };
          },
        },
      ]);
    },
  });
  const peakRssMb = rss.stop();
  const spent = cpu.stop();
  if (pools.exhausted) throw new PoolExhaustedError(`${spec.url}: a connection used up its requests`);
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, stat]) => `${code}: ${stat.count ?? 0}`)
      .join(', ');
    throw new RefusedRequestsError(
      `${spec.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts (${codes})`,
    );
  }
  return {
    rate: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: ok,
    peakRssMb,
    serverCpuMs: perRequest(spent.serverMs, ok),
    databaseCpuMs: perRequest(spent.databaseMs, ok),
  };
}
