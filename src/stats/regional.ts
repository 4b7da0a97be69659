import { z } from 'zod';
import { ACTIVITY_TABLE, CATALOGUE_VERSION, COUNT_TABLES } from './catalogue.js';
import { POPULATIONS } from './populations.js';
import {
  NOT_DISCLOSED,
  publishedTableSchema,
  type PublishedTable,
  type PublishedValue,
  type Release,
} from './release-schema.js';

// The regional aggregate of one year: built from the published releases of the CLSMs that released
// that year, never from facts. A cell is the sum of the same cell in every CLSM whose table was
// published, and `n.d.` as soon as one of them hid it: everything here is a function of already
// protected, already published figures, so it cannot tell more than they do (docs/statistics.md,
// "Regional aggregate").

/**
 * Fewer contributing CLSMs and the aggregate would be one CLSM's table, or a reader from one CLSM
 * could subtract their own from it and read their only neighbour's.
 */
export const MIN_CONTRIBUTORS = 3;

export const regionalTableSchema = publishedTableSchema.extend({
  /** CLSMs whose table was published and is summed here. */
  contributors: z.number().int().min(0),
});
export type RegionalTable = z.infer<typeof regionalTableSchema>;

export const regionalSchema = z.strictObject({
  catalogueVersion: z.string().min(1),
  year: z.number().int(),
  /** CLSMs that released this year. */
  contributors: z.number().int().min(0),
  tables: z.array(regionalTableSchema),
});
export type RegionalAggregate = z.infer<typeof regionalSchema>;

const NOTE_SUM = (n: number) =>
  `Somme des tableaux diffusés par les ${n} CLSM de la région ayant publié ce tableau.`;
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
  tables: readonly PublishedTable[],
): RegionalTable {
  const shown = tables.filter((t) => t.status === 'published');
  const [first] = shown;
  if (first === undefined || shown.length < MIN_CONTRIBUTORS) {
    return {
      ...heading,
      status: 'withheld',
      cells: [],
      total: NOT_DISCLOSED,
      notes: [NOTE_WITHHELD],
      contributors: shown.length,
    };
  }
  const cells = first.cells.map((cell, i) => ({
    key: cell.key,
    label: cell.label,
    value: sum(shown.map((t) => t.cells[i]?.value ?? NOT_DISCLOSED)),
  }));
  const total = first.total === null ? null : sum(shown.map((t) => t.total ?? NOT_DISCLOSED));
  const notes = [NOTE_SUM(shown.length)];
  if (total !== null) notes.push(NOTE_ROUNDED);
  if (cells.some((c) => c.value === NOT_DISCLOSED)) notes.push(NOTE_HIDDEN);
  return { ...heading, status: 'published', cells, total, notes, contributors: shown.length };
}

/** Releases of another catalogue version are left out: their tables do not line up. */
export function aggregateReleases(year: number, releases: readonly Release[]): RegionalAggregate {
  const same = releases.filter((r) => r.year === year && r.catalogueVersion === CATALOGUE_VERSION);
  return {
    catalogueVersion: CATALOGUE_VERSION,
    year,
    contributors: same.length,
    tables: HEADINGS.map((heading) =>
      aggregateTable(
        heading,
        same.flatMap((r) => r.tables.filter((t) => t.id === heading.id)),
      ),
    ),
  };
}
