import type { Row } from './summary.js';

// The service's performance targets, each read from one row of the same benchmark run. Ratios are what the
// targets are about: absolute numbers on a shared machine swing by 20-30 % from one run to the next.

export type Measure = 'median' | 'ratio' | 'p99Ms' | 'max' | { ratioTo: string };

export interface Target {
  text: string;
  row: string;
  measure: Measure;
  atLeast?: number;
  atMost?: number;
}

export interface TargetResult extends Target {
  value: number | undefined;
  met: boolean | undefined;
}

export function targetsFor(clsms: number): Target[] {
  return [
    {
      text: 'calibration: the load generator measures a bare route within 15 % of autocannon alone',
      row: 'calibration-harness-16c',
      measure: 'ratio',
      atLeast: 0.85,
      atMost: 1.15,
    },
    {
      text: 'write path ≥ 0.20 of a bare 4 KB insert, 1 CLSM, 16 conn',
      row: 'write-1t-16c',
      measure: 'ratio',
      atLeast: 0.2,
    },
    {
      text: `write path ≥ 0.25 of a bare 4 KB insert, ${clsms} CLSMs, 16 conn`,
      row: `write-${clsms}t-16c`,
      measure: 'ratio',
      atLeast: 0.25,
    },
    { text: 'write path p99 ≤ 60 ms at 16 conn', row: 'write-1t-16c', measure: 'p99Ms', atMost: 60 },
    { text: 'write path p99 ≤ 150 ms at 64 conn', row: 'write-1t-64c', measure: 'p99Ms', atMost: 150 },
    {
      text: 'write path falls < 10 % from 16 to 64 conn',
      row: 'write-1t-64c',
      measure: { ratioTo: 'write-1t-16c' },
      atLeast: 0.9,
    },
    {
      text: 'audited vs plain insert ≥ 0.40, 1 tenant, 16 clients',
      row: 'audited-1t-16c',
      measure: 'ratio',
      atLeast: 0.4,
    },
    {
      text: `audited vs plain insert ≥ 0.55, ${clsms} tenants, 16 clients`,
      row: `audited-${clsms}t-16c`,
      measure: 'ratio',
      atLeast: 0.55,
    },
    {
      text: 'audited vs plain insert ≥ 0.80, 1 client',
      row: 'audited-1t-1c',
      measure: 'ratio',
      atLeast: 0.8,
    },
    {
      text: 'audited read of one page of entries ≥ 0.30 of the bare select',
      row: 'read-16c',
      measure: 'ratio',
      atLeast: 0.3,
    },
    {
      text: 'read path ≥ 65 % of the raw chain append',
      row: 'read-16c',
      measure: { ratioTo: 'chain-append-16c' },
      atLeast: 0.65,
    },
    {
      text: 'EdDSA token verification ≥ 0.40x a bare route',
      row: 'token-verify-16c',
      measure: 'ratio',
      atLeast: 0.4,
    },
    { text: 'Cedar ≥ 5,000 decisions/s', row: 'cedar-decisions', measure: 'median', atLeast: 5000 },
    { text: 'audit verify ≥ 200,000 events/s', row: 'audit-verify', measure: 'median', atLeast: 200_000 },
    { text: 'statistics release < 2 s', row: 'stats-release', measure: 'median', atMost: 2000 },
    {
      text: 'client 4 KB encrypt + sign ≥ 3,000 entries/s',
      row: 'crypto-encrypt-4k',
      measure: 'median',
      atLeast: 3000,
    },
    {
      text: 'start to /healthz ≤ 6 s, fresh data directory',
      row: 'startup-fresh',
      measure: 'median',
      atMost: 6000,
    },
    {
      text: 'start to /healthz ≤ 1.5 s, existing data directory',
      row: 'startup-existing',
      measure: 'median',
      atMost: 1500,
    },
    { text: 'API RSS under load ≤ 300 MB', row: 'api-rss', measure: 'max', atMost: 300 },
    { text: 'web app unlock ≤ 1.5 s', row: 'web-unlock', measure: 'median', atMost: 1500 },
    {
      text: 'web app opens a situation of 500 entries, verified and decrypted, ≤ 1 s after unlock',
      row: 'web-open-500e',
      measure: 'median',
      atMost: 1000,
    },
  ];
}

function valueOf(row: Row, measure: Measure, rows: Map<string, Row>): number | undefined {
  if (typeof measure === 'object') {
    const other = rows.get(measure.ratioTo);
    return other === undefined ? undefined : row.median / other.median;
  }
  return row[measure];
}

export function evaluate(targets: Target[], rows: readonly Row[]): TargetResult[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return targets.map((t) => {
    const row = byId.get(t.row);
    const value = row === undefined ? undefined : valueOf(row, t.measure, byId);
    const met =
      value === undefined
        ? undefined
        : (t.atLeast === undefined || value >= t.atLeast) && (t.atMost === undefined || value <= t.atMost);
    return { ...t, value, met };
  });
}
