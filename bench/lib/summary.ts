// One line of the results table: a measurement repeated over several runs, summarised by its
// median (what the docs quote), its min and max (how much the shared machine swung).

export interface Row {
  /** Stable identifier, used by targets and baselines: `write-1t-16c`. */
  id: string;
  /** The scenario of issue 11 it belongs to (1 to 8). */
  scenario: number;
  name: string;
  unit: string;
  /** Whether a larger number is better (a rate) or worse (a duration). */
  higherIsBetter: boolean;
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** HTTP scenarios: median over runs of each run's latency percentiles. */
  p50Ms?: number;
  p99Ms?: number;
  /** Peak resident memory of the process doing the work (the server, for HTTP), in MB. */
  peakRssMb?: number;
  /**
   * HTTP scenarios: median over runs of the CPU time each request cost, in ms, the server
   * process's and (PostgreSQL on this machine) the database's processes'.
   */
  serverCpuMs?: number;
  databaseCpuMs?: number;
  /** Id of the row this one is compared with, measured in the same benchmark run. */
  baseline?: string;
  ratio?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export interface RowInput {
  id: string;
  scenario: number;
  name: string;
  unit: string;
  higherIsBetter?: boolean;
  runs: number[];
  p50Ms?: number[];
  p99Ms?: number[];
  peakRssMb?: number;
  serverCpuMs?: number[];
  databaseCpuMs?: number[];
  baseline?: string;
}

export function row(input: RowInput): Row {
  const { p50Ms, p99Ms, peakRssMb, serverCpuMs, databaseCpuMs, baseline, higherIsBetter, ...rest } = input;
  return {
    ...rest,
    higherIsBetter: higherIsBetter ?? true,
    median: median(input.runs),
    min: Math.min(...input.runs),
    max: Math.max(...input.runs),
    ...(p50Ms === undefined ? {} : { p50Ms: median(p50Ms) }),
    ...(p99Ms === undefined ? {} : { p99Ms: median(p99Ms) }),
    ...(peakRssMb === undefined ? {} : { peakRssMb }),
    ...(serverCpuMs === undefined ? {} : { serverCpuMs: median(serverCpuMs) }),
    ...(databaseCpuMs === undefined ? {} : { databaseCpuMs: median(databaseCpuMs) }),
    ...(baseline === undefined ? {} : { baseline }),
  };
}

/** Fills in each row's ratio to its baseline's median, for rows whose baseline ran. */
export function withRatios(rows: readonly Row[]): Row[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => {
    const base = r.baseline === undefined ? undefined : byId.get(r.baseline);
    return base === undefined ? r : { ...r, ratio: r.median / base.median };
  });
}
