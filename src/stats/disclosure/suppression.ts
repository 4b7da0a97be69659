import { auditBlock } from './audit.js';
import type { CountTableDef } from '../vocabulary/catalogue.js';
import { publishCountTable, withheldCountTable } from './publish.js';
import type { PublishedTable } from '../vocabulary/release-schema.js';
import { isPublishable, K } from './rules.js';
import type { TableCounts } from './tally.js';

// Primary and secondary suppression of one block of linked tables (docs/statistics.md, "Rules").
//
// 1. Primary: hide every count the rules forbid.
// 2. Secondary, by pattern: every table with a hidden cell hides at least two cells summing to at
//    least K; in a cross table every row and column, margin included, hides none or at least two.
// 3. Secondary, by audit: run the same LP check as the release, and while a hidden cell can still be
//    narrowed, hide one more cell beside it. Hiding only removes restrictions from the attacker's
//    model, so ranges only widen; with everything hidden each range is [0, N] with N >= K, so the
//    loop ends, and it ends on a pattern that passes the check.
//
// The cell added is the smallest non-zero count available, which costs the reader least; zeros come
// last because hiding them adds no uncertainty about the counts that matter.

interface Working {
  readonly table: TableCounts;
  readonly hidden: boolean[];
}

interface CellRef {
  readonly work: Working;
  readonly index: number;
}

interface Line {
  readonly cells: readonly CellRef[];
  /** Whether the hidden cells of the line must together reach K (a whole table), or only number two. */
  readonly needsMass: boolean;
}

export function protectBlock(
  block: readonly CountTableDef[],
  counts: ReadonlyMap<string, TableCounts>,
): PublishedTable[] {
  const tables = block.map((def) => {
    const table = counts.get(def.id);
    if (table === undefined) throw new Error(`no counts for table ${def.id}`);
    return table;
  });
  if (tables.some((t) => t.total < K)) return block.map(withheldCountTable);

  const working = new Map(
    tables.map((table) => {
      const strict = table.def.kind !== 'cross' && table.def.strict;
      return [
        table.def.id,
        { table, hidden: table.counts.map((c) => !isPublishable(c, table.total, strict)) },
      ];
    }),
  );
  const lines = linesOf(block, working);
  const everyCell = [...working.values()].flatMap((work) => work.hidden.map((_, index) => ({ work, index })));

  for (;;) {
    enforcePatterns(lines);
    const published = new Map([...working].map(([id, w]) => [id, publishCountTable(w.table, w.hidden)]));
    const failed = auditBlock(block, published)[0];
    if (failed === undefined) return block.map((def) => published.get(def.id) ?? withheldCountTable(def));
    if (failed.reason === 'contradictory')
      throw new Error(`table ${failed.tableId} contradicts its own counts`);
    const index = working.get(failed.tableId)?.table.def.cells.findIndex((c) => c.key === failed.key) ?? -1;
    const beside = lines
      .filter((line) => line.cells.some((c) => c.work.table.def.id === failed.tableId && c.index === index))
      .flatMap((line) => line.cells);
    if (!hideOneMore(beside) && !hideOneMore(everyCell)) {
      throw new Error(`table ${failed.tableId} cannot be protected: every cell is already hidden`);
    }
  }
}

function linesOf(block: readonly CountTableDef[], working: ReadonlyMap<string, Working>): Line[] {
  const refs = (def: CountTableDef): CellRef[] => {
    const work = working.get(def.id);
    return work === undefined ? [] : def.cells.map((_, index) => ({ work, index }));
  };
  const lines: Line[] = block.map((def) => ({ cells: refs(def), needsMass: true }));
  for (const def of block) {
    if (def.kind !== 'cross') continue;
    const inner = refs(def);
    const width = def.columns.cells.length;
    const rowMargins = refs(def.rows);
    const columnMargins = refs(def.columns);
    rowMargins.forEach((margin, r) =>
      lines.push({ cells: [...inner.slice(r * width, (r + 1) * width), margin], needsMass: false }),
    );
    columnMargins.forEach((margin, c) =>
      lines.push({ cells: [...inner.filter((_, i) => i % width === c), margin], needsMass: false }),
    );
  }
  return lines;
}

function enforcePatterns(lines: readonly Line[]): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      while (lacksProtection(line) && hideOneMore(line.cells)) changed = true;
    }
  }
}

function lacksProtection(line: Line): boolean {
  const hidden = line.cells.filter(isHidden);
  if (hidden.length === 0) return false;
  return hidden.length < 2 || (line.needsMass && hidden.reduce((sum, c) => sum + countOf(c), 0) < K);
}

/** Hides the smallest non-zero visible count of `cells`, else a visible zero; false if none is left. */
function hideOneMore(cells: readonly CellRef[]): boolean {
  let best: CellRef | undefined;
  for (const cell of cells) {
    if (isHidden(cell)) continue;
    if (best === undefined || rank(cell) < rank(best)) best = cell;
  }
  if (best === undefined) return false;
  best.work.hidden[best.index] = true;
  return true;
}

const countOf = (cell: CellRef): number => cell.work.table.counts[cell.index] ?? 0;
const isHidden = (cell: CellRef): boolean => cell.work.hidden[cell.index] === true;
const rank = (cell: CellRef): number => (countOf(cell) === 0 ? Infinity : countOf(cell));
