import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { contentHash } from '../../src/stats/releases/canonical-json.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import { inputOf, syntheticCases } from './fixtures.js';

// The performance budget of the engine: building and LP-checking one year's release for a CLSM
// with 100,000 case facts must take under 2 s. Not a unit test (timings depend on the machine):
//   node --import tsx test/stats/benchmark.ts [facts]

export interface Measurement {
  readonly facts: number;
  /** Median of the runs, in milliseconds: input validation, counting, suppression and LP check. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly hash: string;
}

export function measureRelease(facts = 100_000, runs = 5): Measurement {
  const input = inputOf(syntheticCases(facts));
  const runsMs: number[] = [];
  let hash = '';
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const release = buildRelease(input);
    runsMs.push(performance.now() - start);
    hash = contentHash(release);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { facts, medianMs: sorted[Math.floor(runs / 2)] ?? NaN, runsMs, hash };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = measureRelease(Number(process.argv[2] ?? 100_000));
  process.stdout.write(
    `${m.facts} facts: median ${m.medianMs.toFixed(0)} ms over ${m.runsMs.length} runs ` +
      `(${m.runsMs.map((ms) => ms.toFixed(0)).join(', ')}), release ${m.hash.slice(0, 12)}\n`,
  );
}
