import autocannon from 'autocannon';
import { sampleRss } from './rss.js';

// HTTP load with autocannon, from this process, against a server in another process. Every
// connection sends its own sequence of requests (its own bearer token, its own fresh entries), and
// every answer must be a 2xx: a refused request (a duplicate id, a bad signature, a rate limit)
// measures nothing, so a single one fails the run.

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Requests each connection sends; the run ends when all have been answered. */
  perConnection: number;
  /**
   * The request source of one connection: `static` when it sends the same request every time (built
   * once), `next` when each request differs (called once per request, so keep it cheap).
   */
  source: (connection: number) => { static: HttpRequest } | { next: () => HttpRequest };
  /** The server process, whose RSS is sampled during the run. */
  serverPid: number;
}

export interface LoadRun {
  /** 2xx answers per second over the whole run. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  peakRssMb: number | undefined;
}

export class RefusedRequestsError extends Error {
  override name = 'RefusedRequestsError';
}

export async function load(spec: LoadSpec): Promise<LoadRun> {
  let nextConnection = 0;
  const rss = sampleRss(spec.serverPid);
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    amount: spec.connections * spec.perConnection,
    timeout: 30,
    setupClient: (client) => {
      const source = spec.source(nextConnection++);
      if ('static' in source) {
        client.setRequests([source.static]);
      } else {
        client.setRequests([{ setupRequest: (defaults) => ({ ...defaults, ...source.next() }) }]);
      }
    },
  });
  const peakRssMb = rss.stop();
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
  };
}
