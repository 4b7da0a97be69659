import type { CaseFact } from './facts.js';

// Which cases a table of year Y counts. Each population is anchored on the month of one event, so a
// case is counted once per table and per year, and the same case may appear in the bilans of the
// year it was referred and of the year it was closed.

export type PopulationId = 'referred' | 'reviewed' | 'decided' | 'closed';

export interface Population {
  /** French, for the reader of the bilan. */
  readonly description: string;
  includes(fact: CaseFact, year: number): boolean;
}

const inYear = (month: string, year: number): boolean => Number(month.slice(0, 4)) === year;

export const POPULATIONS: Readonly<Record<PopulationId, Population>> = {
  referred: {
    description: "Situations dont la saisine a été reçue dans l'année",
    includes: (fact, year) => inYear(fact.referredMonth, year),
  },
  reviewed: {
    description: "Situations examinées pour la première fois en séance dans l'année",
    includes: (fact, year) => fact.firstReview !== undefined && inYear(fact.firstReview.month, year),
  },
  decided: {
    description: "Situations ayant fait l'objet d'au moins une décision dans l'année",
    includes: (fact, year) => fact.decisions.some((d) => inYear(d.month, year)),
  },
  closed: {
    description: "Situations clôturées dans l'année",
    includes: (fact, year) => fact.closure !== undefined && inYear(fact.closure.month, year),
  },
};

/** The decision categories a case received during the year, each once. */
export const decisionsInYear = (fact: CaseFact, year: number): string[] => [
  ...new Set(fact.decisions.filter((d) => inYear(d.month, year)).map((d) => d.decision)),
];
