import { DisclosureCheckError } from './audit.js';
import { ACTIVITY_TABLE, CATALOGUE_VERSION, COUNT_TABLES } from '../vocabulary/catalogue.js';
import { POPULATIONS } from '../vocabulary/populations.js';
import {
  NOT_DISCLOSED,
  type PublishedTable,
  type PublishedValue,
  type Release,
} from '../vocabulary/release-schema.js';
import type { RegionalContributions } from '../schema.js';
import type { RegionalAggregate, RegionalTable } from '../vocabulary/regional-schema.js';

// The regional release of one year: built from the frozen releases of the CLSMs, never from facts,
// and frozen itself, version by version (docs/statistics.md, "Regional releases"). A cell is the sum
// of the same cell in every CLSM the table sums, and `n.d.` as soon as one of them hid it: everything
// here is a function of already protected, already published figures. What a new version must not
// do is tell one CLSM's figures by difference with the previous one: a table takes in CLSMs that
// released since only when at least MIN_CONTRIBUTORS of them join at once.

/**
 * Fewer CLSMs and a table would be one CLSM's, or a reader from one CLSM could subtract their own
 * and read their only neighbour's. The same holds for what two versions differ by.
 */
export const MIN_CONTRIBUTORS = 3;

/** A CLSM's frozen release of the year. */
export interface ReleasedBy {
  clsmId: string;
  release: Release;
}

export interface RegionalRelease {
  aggregate: RegionalAggregate;
  /** Which CLSMs each table sums: kept with the version, to check the next one; never served. */
  contributions: RegionalContributions;
}

const NOTE_SUM = (n: number) =>
  `Somme des tableaux diffusés par ${n} CLSM de la région ; un CLSM qui publie après les autres n'y est ajouté qu'avec au moins ${MIN_CONTRIBUTORS - 1} autres.`;
const NOTE_HIDDEN = "n.d. : case non diffusée dans le bilan d'au moins un des CLSM.";
const NOTE_ROUNDED = "Sommes d'effectifs arrondis au multiple de 5 ; les totaux sont exacts.";
const NOTE_WITHHELD = `Moins de ${MIN_CONTRIBUTORS} CLSM ont diffusé ce tableau : non diffusé à l'échelle régionale.`;

/** Attendance rates are left out: without seat counts, which are not published, they cannot be combined. */
const HEADINGS = [
  { id: ACTIVITY_TABLE.id, title: ACTIVITY_TABLE.title, population: ACTIVITY_TABLE.population },
  ...COUNT_TABLES.map((def) => ({
    id: def.id,
    title: def.title,
    population: POPULATIONS[def.population].description,
  })),
];

const sum = (values: readonly PublishedValue[]): PublishedValue =>
  values.some((v) => v === NOT_DISCLOSED)
    ? NOT_DISCLOSED
    : values.reduce<number>((acc, v) => acc + (v as number), 0);

function aggregateTable(
  heading: (typeof HEADINGS)[number],
  summed: readonly PublishedTable[],
): RegionalTable {
  const [first] = summed;
  if (first === undefined || summed.length < MIN_CONTRIBUTORS) {
    return {
      ...heading,
      status: 'withheld',
      cells: [],
      total: NOT_DISCLOSED,
      notes: [NOTE_WITHHELD],
      contributors: 0,
    };
  }
  const cells = first.cells.map((cell, i) => ({
    key: cell.key,
    label: cell.label,
    value: sum(summed.map((t) => t.cells[i]?.value ?? NOT_DISCLOSED)),
  }));
  const total = first.total === null ? null : sum(summed.map((t) => t.total ?? NOT_DISCLOSED));
  const notes = [NOTE_SUM(summed.length)];
  if (total !== null) notes.push(NOTE_ROUNDED);
  if (cells.some((c) => c.value === NOT_DISCLOSED)) notes.push(NOTE_HIDDEN);
  return { ...heading, status: 'published', cells, total, notes, contributors: summed.length };
}

/**
 * The regional release `version` of `year` from the CLSMs' frozen releases, given which CLSMs each
 * table summed in the latest version (`previous`); undefined when no table would change. Releases
 * of another year or catalogue version are left out: their tables do not line up.
 */
export function nextRegionalRelease(
  year: number,
  version: number,
  released: readonly ReleasedBy[],
  previous: RegionalContributions | undefined,
): RegionalRelease | undefined {
  const same = released.filter(
    (r) => r.release.year === year && r.release.catalogueVersion === CATALOGUE_VERSION,
  );
  const contributions: RegionalContributions = {};
  const tables = HEADINGS.map((heading) => {
    const publishing = same.flatMap((r) => {
      const table = r.release.tables.find((t) => t.id === heading.id && t.status === 'published');
      return table === undefined ? [] : [{ clsmId: r.clsmId, table }];
    });
    const before = previous?.[heading.id] ?? [];
    const joining = publishing.filter((p) => !before.includes(p.clsmId));
    // Late CLSMs wait until enough of them can join together; until then the table stays as it was.
    const summed =
      joining.length >= MIN_CONTRIBUTORS ? publishing : publishing.filter((p) => before.includes(p.clsmId));
    contributions[heading.id] = summed.map((p) => p.clsmId).sort();
    return aggregateTable(
      heading,
      summed.map((p) => p.table),
    );
  });
  if (
    previous !== undefined &&
    HEADINGS.every((h) => sameSet(previous[h.id] ?? [], contributions[h.id] ?? []))
  ) {
    return undefined;
  }
  return {
    aggregate: {
      catalogueVersion: CATALOGUE_VERSION,
      year,
      version,
      contributors: new Set(Object.values(contributions).flat()).size,
      tables,
    },
    contributions,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * The disclosure control of a regional release, against every earlier version of its year: each
 * published table sums at least MIN_CONTRIBUTORS CLSMs, keeps every CLSM it summed before (no
 * version subtracts one), and differs from each earlier version by none or at least
 * MIN_CONTRIBUTORS CLSMs. Throws otherwise.
 */
export function assertRegionalProtected(
  history: readonly RegionalContributions[],
  candidate: RegionalContributions,
): void {
  const refused: { tableId: string; reason: 'narrow' }[] = [];
  for (const [tableId, summed] of Object.entries(candidate)) {
    const tooFew = summed.length > 0 && summed.length < MIN_CONTRIBUTORS;
    const differs = history.some((earlier) => {
      const before = earlier[tableId] ?? [];
      const added = summed.filter((c) => !before.includes(c)).length;
      return before.some((c) => !summed.includes(c)) || (added > 0 && added < MIN_CONTRIBUTORS);
    });
    if (tooFew || differs) refused.push({ tableId, reason: 'narrow' });
  }
  if (refused.length > 0) {
    throw new DisclosureCheckError(
      `regional release refused, it would tell fewer than ${MIN_CONTRIBUTORS} CLSMs apart: ${refused.map((r) => r.tableId).join(', ')}`,
      refused,
    );
  }
}
