import { measureRelease } from '../../test/stats/benchmark.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 7: building and LP-checking one year's statistics release for a CLSM, on synthetic
// case facts (the engine's own benchmark fixture).

export interface ReleaseParams {
  facts: number;
  runs: number;
}

export function measureStatsRelease(params: ReleaseParams): Promise<number[]> {
  return Promise.resolve([...measureRelease(params.facts, params.runs).runsMs]);
}

export async function statsRelease(params: ReleaseParams): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('stats-release', params);
  return [
    {
      id: 'stats-release',
      scenario: 7,
      name: `statistics release, ${params.facts.toLocaleString('en')} facts`,
      unit: 'ms',
      higherIsBetter: false,
      runs: value,
      peakRssMb,
    },
  ];
}
