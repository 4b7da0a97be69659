import type { CountTableDef } from '../vocabulary/catalogue.js';
import { POPULATIONS } from '../vocabulary/populations.js';
import { NOT_DISCLOSED, type PublishedTable } from '../vocabulary/release-schema.js';
import { roundCell } from './rules.js';
import type { TableCounts } from './tally.js';

// Turns true counts and a suppression pattern into the published form of a table: hidden cells
// become `n.d.`, the others are rounded, the total stays exact. Notes are derived from the table's
// rules so that the same input always yields the same words.

const NOTE_ROUNDED = 'Effectifs arrondis au multiple de 5 le plus proche ; le total est exact.';
const NOTE_HIDDEN =
  "n.d. : non diffusé, soit parce que l'effectif est de 1 à 10, soit pour qu'il ne puisse pas être déduit des autres cases.";
const NOTE_STRICT =
  "Catégorie sensible ou à choix multiple : une case n'est diffusée que si elle compte au moins 11 situations et que 11 situations au moins n'y figurent pas.";
const NOTE_MULTI =
  "Plusieurs réponses possibles : les lignes ne s'additionnent pas, le total compte les situations.";
const NOTE_WITHHELD = 'Moins de 11 situations : tableau non diffusé.';

export function publishCountTable(table: TableCounts, hidden: readonly boolean[]): PublishedTable {
  const { def, total, counts } = table;
  const cells = def.cells.map((cell, i) => ({
    key: cell.key,
    label: cell.label,
    value: hidden[i] === true ? NOT_DISCLOSED : roundCell(counts[i] ?? 0),
  }));
  const notes = [NOTE_ROUNDED];
  if (hidden.includes(true)) notes.push(NOTE_HIDDEN);
  if (def.kind !== 'cross' && def.strict) notes.push(NOTE_STRICT);
  if (def.kind === 'multi') notes.push(NOTE_MULTI);
  if (def.kind === 'cross')
    notes.push(`Les marges sont les tableaux « ${def.rows.title} » et « ${def.columns.title} ».`);
  return { ...heading(def), status: 'published', cells, total, notes };
}

export function withheldCountTable(def: CountTableDef): PublishedTable {
  return { ...heading(def), status: 'withheld', cells: [], total: NOT_DISCLOSED, notes: [NOTE_WITHHELD] };
}

const heading = (def: CountTableDef) => ({
  id: def.id,
  title: def.title,
  population: POPULATIONS[def.population].description,
});
