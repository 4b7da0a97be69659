import type { CountTableDef } from '../vocabulary/catalogue.js';
import { NOT_DISCLOSED, type PublishedTable } from '../vocabulary/release-schema.js';
import { intervalOfPublished } from './rules.js';

// Everything an attacker can write down about one block of tables from the published release alone:
// unknown true counts, and linear restrictions on sums of them. Built from published values only,
// never from the true counts, so that the audit checks what is actually released.
//
// Unknowns are the finest cells of the block: the cells of a one-way table standing alone, or the
// inner cells of a cross table, whose margins are then sums of them. Every unknown is >= 0.

export interface Restriction {
  readonly terms: readonly string[];
  readonly min: number;
  /** Absent when only the lower bound is known. */
  readonly max?: number;
}

export interface HiddenCell {
  readonly tableId: string;
  readonly key: string;
  /** The unknowns whose sum is this cell. */
  readonly terms: readonly string[];
}

export interface AttackerModel {
  readonly unknowns: readonly string[];
  readonly restrictions: readonly Restriction[];
  readonly hidden: readonly HiddenCell[];
}

/** For each table of the block, the unknowns that make up each of its cells, in catalogue order. */
function cellTerms(block: readonly CountTableDef[]): Map<string, string[][]> {
  const own = (def: CountTableDef) => def.cells.map((cell) => `${def.id}/${cell.key}`);
  const terms = new Map(block.map((def) => [def.id, own(def).map((u) => [u])]));
  const cross = block.find((def) => def.kind === 'cross');
  if (cross !== undefined) {
    // Inner cells are row-major: a margin cell is the sum of its row, or of its column.
    const inner = own(cross);
    const width = cross.columns.cells.length;
    terms.set(
      cross.rows.id,
      cross.rows.cells.map((_, r) => inner.slice(r * width, (r + 1) * width)),
    );
    terms.set(
      cross.columns.id,
      cross.columns.cells.map((_, c) => inner.filter((_, i) => i % width === c)),
    );
  }
  return terms;
}

export function buildAttackerModel(
  block: readonly CountTableDef[],
  published: ReadonlyMap<string, PublishedTable>,
): AttackerModel {
  const termsById = cellTerms(block);
  const unknowns = new Set<string>();
  const restrictions: Restriction[] = [];
  const hidden: HiddenCell[] = [];
  for (const def of block) {
    const table = published.get(def.id);
    const terms = termsById.get(def.id) ?? [];
    terms.flat().forEach((u) => unknowns.add(u));
    if (table === undefined || table.status === 'withheld') continue;
    if (table.cells.length !== def.cells.length || table.cells.some((c, i) => c.key !== def.cells[i]?.key)) {
      throw new Error(`table ${def.id} does not have the cells of the catalogue`);
    }
    // The total is the number of cases: single-choice cells add up to it, multi-choice cells do not
    // (a case counts in several), but none of them can exceed it.
    const n = typeof table.total === 'number' ? table.total : Infinity;
    if (def.kind !== 'multi' && n !== Infinity) restrictions.push({ terms: terms.flat(), min: n, max: n });
    const strict = def.kind !== 'cross' && def.strict;
    table.cells.forEach((cell, i) => {
      const own = terms[i] ?? [];
      if (cell.value === NOT_DISCLOSED) {
        hidden.push({ tableId: def.id, key: cell.key, terms: own });
        if (def.kind === 'multi' && n !== Infinity) restrictions.push({ terms: own, min: 0, max: n });
        return;
      }
      restrictions.push({ terms: own, ...intervalOfPublished(cell.value, n, strict) });
    });
    if (def.kind === 'multi' && def.atLeastOne && n !== Infinity) {
      restrictions.push({ terms: terms.flat(), min: n });
    }
  }
  return { unknowns: [...unknowns], restrictions, hidden };
}
