import { bareEntryBodies, signedEntryBodies } from '../lib/entry-bodies.js';
import type { WriterClsm } from '../lib/fixtures.js';
import { runHttp, type HttpConfig } from '../lib/http-runs.js';
import type { HttpRequest } from '../lib/load.js';
import type { RowInput } from '../lib/summary.js';
import { bearer, type HttpBench } from './http-bench.js';

// Scenario 1: POST of a 4 KB encrypted entry with everything on (token and session, zod, case
// state, Cedar, key checks, author signature, the insert and its audit event in one statement, the
// event's sealing) against the bare Fastify route inserting the same row, on one CLSM and spread
// over many.

function secure(bench: HttpBench, clsms: WriterClsm[], connections: number, baseline: string): HttpConfig {
  return {
    id: `write-${clsms.length}t-${connections}c`,
    scenario: 1,
    name: `write path, ${clsms.length} tenant${clsms.length > 1 ? 's' : ''}, ${connections} conn`,
    baseline,
    url: bench.server.apiUrl,
    connections,
    requests: async (capacity) => {
      // Connection k writes as CLSM k mod T, with a login session of its own.
      const pools: HttpRequest[][] = [];
      for (let k = 0; k < connections; k += 1) {
        const clsm = clsms[k % clsms.length] as WriterClsm;
        const path = `/v1/cases/${clsm.caseId}/compartments/health/entries`;
        const headers = bearer(clsm.tokens[Math.floor(k / clsms.length)], true);
        const bodies = await signedEntryBodies(clsm, clsm.caseId, capacity);
        pools.push(bodies.map((body) => ({ method: 'POST', path, headers, body })));
      }
      return (k) => ({ pool: pools[k] ?? [] });
    },
  };
}

export async function writePath(bench: HttpBench, connections: number[]): Promise<RowInput[]> {
  const one = bench.clsms[0];
  if (one === undefined) throw new Error('no CLSM prepared');
  const configs: HttpConfig[] = [];
  for (const c of connections) {
    const baseline = `bare-insert-${c}c`;
    configs.push({
      id: baseline,
      scenario: 1,
      name: `bare Fastify + pg insert, ${c} conn`,
      url: bench.server.bareUrl,
      connections: c,
      requests: (capacity) => {
        const path = `/bare/entries/${one.clsmId}/${one.caseId}/health/${one.writer.memberId}`;
        const headers = { 'content-type': 'application/json' };
        const requests = bareEntryBodies(one.keyVersion, capacity * c).map((body): HttpRequest => ({
          method: 'POST',
          path,
          headers,
          body,
        }));
        return Promise.resolve((k) => ({ pool: requests.slice(k * capacity, (k + 1) * capacity) }));
      },
    });
    configs.push(secure(bench, [one], c, baseline));
    if (bench.clsms.length > 1) configs.push(secure(bench, bench.clsms, c, baseline));
  }
  return runHttp(configs, bench.options);
}
