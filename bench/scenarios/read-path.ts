import { runHttp, type HttpConfig } from '../lib/http-runs.js';
import type { RowInput } from '../lib/summary.js';
import { bearer, type HttpBench } from './http-bench.js';

// Scenario 2: reading a compartment (authentication, case state, Cedar, entries and the reader's
// own grants, and the audit event every read leaves) against a bare select of the same rows, and
// against the raw chain append that the read pays for.

export async function readPath(bench: HttpBench, connections: number): Promise<RowInput[]> {
  const clsm = bench.clsms[0];
  if (clsm === undefined) throw new Error('no CLSM prepared');
  const caseId = bench.readCase.caseId;
  const c = connections;
  const bare = (id: string, name: string, method: 'GET' | 'POST', path: string): HttpConfig => ({
    id: `${id}-${c}c`,
    scenario: 2,
    name: `${name}, ${c} conn`,
    url: bench.server.bareUrl,
    connections: c,
    requests: () => Promise.resolve(() => ({ static: { method, path, headers: {} } })),
  });
  return runHttp(
    [
      bare(
        'bare-select',
        `bare Fastify + pg select of ${bench.readCase.entries} entries`,
        'GET',
        `/bare/entries/${clsm.clsmId}/${caseId}/health`,
      ),
      bare(
        'chain-append',
        'bare Fastify + pg audit append',
        'POST',
        `/bare/audit/${clsm.clsmId}/${caseId}/${clsm.writer.memberId}`,
      ),
      {
        id: `read-${c}c`,
        scenario: 2,
        name: `read path, ${bench.readCase.entries} entries, ${c} conn`,
        baseline: `bare-select-${c}c`,
        url: bench.server.apiUrl,
        connections: c,
        requests: () =>
          Promise.resolve((k) => ({
            static: {
              method: 'GET',
              path: `/v1/cases/${caseId}/compartments/health/entries`,
              headers: bearer(clsm.tokens[k]),
            },
          })),
      },
    ],
    bench.options,
  );
}
