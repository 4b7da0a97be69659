import { runHttp, type HttpConfig } from '../lib/http-runs.js';
import type { RowInput } from '../lib/summary.js';
import { bearer, type HttpBench } from './http-bench.js';

// What authenticating a request costs, on the real API's stack: a route with no authentication,
// the same route verifying the EdDSA token only (fast-jwt caches verified signatures), and a route
// with the full authentication every API route has (token, then the session re-read: never cached).

export async function tokenVerification(bench: HttpBench, connections: number): Promise<RowInput[]> {
  const tokens = bench.clsms[0]?.tokens ?? [];
  const probe = (id: string, name: string, path: string, baseline?: string): HttpConfig => ({
    id: `${id}-${connections}c`,
    scenario: 1,
    name: `${name}, ${connections} conn`,
    ...(baseline === undefined ? {} : { baseline: `${baseline}-${connections}c` }),
    url: bench.server.apiUrl,
    connections,
    // Every probe carries the same token, so that requests are byte for byte the same size.
    requests: () => Promise.resolve((k) => ({ static: { method: 'GET', path, headers: bearer(tokens[k]) } })),
  });
  return runHttp(
    [
      probe('public-route', 'API route, no authentication', '/bench/public'),
      probe('token-verify', 'API route, EdDSA token verified', '/bench/token', 'public-route'),
      probe('authenticated', 'API route, token + session check', '/bench/authenticated', 'public-route'),
    ],
    bench.options,
  );
}
