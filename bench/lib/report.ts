import type { Row } from './summary.js';
import type { TargetResult } from './targets.js';

// The table printed at the end of a run (and pasted into docs/performance.md), and the targets.

const fmt = (n: number | undefined, unit = ''): string => {
  if (n === undefined || !Number.isFinite(n)) return '';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 }) + unit;
};

export function markdownTable(rows: readonly Row[]): string {
  const header =
    '| # | scenario | unit | median | min | max | p50 ms | p99 ms | server CPU ms/req | database CPU ms/req | peak RSS MB | ratio |';
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.name} | ${r.unit} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ` +
      `${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.serverCpuMs)} | ${fmt(r.databaseCpuMs)} | ` +
      `${fmt(r.peakRssMb)} | ${r.ratio === undefined ? '' : `${fmt(r.ratio)}x`} |`,
  );
  return [header, '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|', ...lines].join('\n');
}

export function targetLines(results: readonly TargetResult[]): string {
  return results
    .map((t) => {
      const mark = t.met === undefined ? 'not run' : t.met ? 'met' : 'MISSED';
      const value = t.value === undefined ? '—' : fmt(t.value);
      return `- ${mark}: ${t.text} (measured ${value})`;
    })
    .join('\n');
}
