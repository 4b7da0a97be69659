import { COUNT_TABLES, type CountTableDef } from '../vocabulary/catalogue.js';
import type { CaseFact } from '../vocabulary/facts.js';
import { POPULATIONS, type PopulationId } from '../vocabulary/populations.js';

/** The true counts of one table: never published as such. */
export interface TableCounts {
  readonly def: CountTableDef;
  /** Cases of the table's population. */
  readonly total: number;
  /** One count per cell, in catalogue order. */
  readonly counts: readonly number[];
}

export function tally(cases: readonly CaseFact[], year: number): Map<string, TableCounts> {
  const members = new Map<PopulationId, CaseFact[]>();
  for (const id of Object.keys(POPULATIONS) as PopulationId[]) {
    members.set(
      id,
      cases.filter((fact) => POPULATIONS[id].includes(fact, year)),
    );
  }
  const result = new Map<string, TableCounts>();
  for (const def of COUNT_TABLES) {
    const population = members.get(def.population) ?? [];
    const index = new Map(def.cells.map((cell, i) => [cell.key, i]));
    const counts = def.cells.map(() => 0);
    const add = (key: string) => {
      const i = index.get(key);
      if (i === undefined) throw new Error(`table ${def.id} has no cell ${key}`);
      counts[i] = (counts[i] ?? 0) + 1;
    };
    for (const fact of population) {
      const keys = def.classify(fact, year);
      if (typeof keys === 'string') add(keys);
      else keys.forEach(add);
    }
    result.set(def.id, { def, total: population.length, counts });
  }
  return result;
}
