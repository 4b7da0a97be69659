import {
  AGE_BAND_LABELS,
  AGE_BANDS,
  DECISION_LABELS,
  DECISIONS,
  DECLINE_REASON_LABELS,
  DECLINE_REASONS,
  DELAY_BAND_LABELS,
  DELAY_BANDS,
  DURATION_BAND_LABELS,
  DURATION_BANDS,
  HOUSEHOLD_LABELS,
  HOUSEHOLDS,
  HOUSING_SITUATION_LABELS,
  HOUSING_SITUATIONS,
  OUTCOME_LABELS,
  OUTCOMES,
  PROBLEM_LABELS,
  PROBLEMS,
  REFERRAL_SOURCE_LABELS,
  REFERRAL_SOURCES,
  SEX_LABELS,
  SEXES,
} from './categories.js';
import type { CaseFact } from './facts.js';
import { decisionsInYear, type PopulationId } from './populations.js';

// The fixed catalogue of a bilan. Changing a table, a category or a rule means a new version: a
// frozen release is only comparable with releases of the same catalogue version.
//
// Crossings are deliberately few (docs/statistics.md, "What is published"): every indicator alone,
// and sex by age band. Problems and outcomes, the sensitive variables, are never crossed.

export const CATALOGUE_VERSION = '2026.1';

export interface CellDef {
  readonly key: string;
  readonly label: string;
}

interface CountTableBase {
  readonly id: string;
  readonly title: string;
  readonly population: PopulationId;
  readonly cells: readonly CellDef[];
  /**
   * The cell key of a single-choice case, or the distinct cell keys of a multi-choice case. Called
   * only on the table's population, where the stage it reads exists; tally refuses any other key.
   */
  readonly classify: (fact: CaseFact, year: number) => string | readonly string[];
}

export interface OneWayTableDef extends CountTableBase {
  readonly kind: 'single' | 'multi';
  /** Sensitive or multi-choice: a count is shown only between 11 and N - 11. */
  readonly strict: boolean;
  /** Every counted case has at least one category (multi-choice only): the cells sum to N or more. */
  readonly atLeastOne: boolean;
}

/** A two-way table whose margins are the published one-way tables `rows` and `columns`. */
export interface CrossTableDef extends CountTableBase {
  readonly kind: 'cross';
  readonly rows: OneWayTableDef;
  readonly columns: OneWayTableDef;
}

export type CountTableDef = OneWayTableDef | CrossTableDef;

export interface ActivityTableDef {
  readonly id: string;
  readonly title: string;
  readonly population: string;
}

const cellsOf = <T extends string>(codes: readonly T[], labels: Readonly<Record<T, string>>): CellDef[] =>
  codes.map((key) => ({ key, label: labels[key] }));

const single = (
  id: string,
  title: string,
  population: PopulationId,
  cells: CellDef[],
  classify: (fact: CaseFact) => string,
  strict = false,
): OneWayTableDef => ({ id, title, population, cells, classify, kind: 'single', strict, atLeastOne: false });

export const ACTIVITY_TABLE: ActivityTableDef = {
  id: 'activite',
  title: 'Activité de la cellule',
  population: "Séances tenues et saisines reçues dans l'année",
};

export const ATTENDANCE_TABLE: ActivityTableDef = {
  id: 'assiduite',
  title: 'Taux de présence des partenaires aux séances (%)',
  population: "Convocations aux séances de l'année, par catégorie de partenaire",
};

const SEX_TABLE = single('saisines_sexe', 'Sexe', 'referred', cellsOf(SEXES, SEX_LABELS), (f) => f.sex);

const AGE_TABLE = single(
  'saisines_age',
  'Âge à la saisine',
  'referred',
  cellsOf(AGE_BANDS, AGE_BAND_LABELS),
  (f) => f.ageBand,
);

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const SEX_BY_AGE_TABLE: CrossTableDef = {
  id: 'saisines_sexe_age',
  title: 'Sexe et âge à la saisine',
  population: 'referred',
  kind: 'cross',
  rows: SEX_TABLE,
  columns: AGE_TABLE,
  cells: SEXES.flatMap((sex) =>
    AGE_BANDS.map((age) => ({
      key: `${sex}.${age}`,
      label: `${SEX_LABELS[sex]}, ${lowerFirst(AGE_BAND_LABELS[age])}`,
    })),
  ),
  classify: (f) => `${f.sex}.${f.ageBand}`,
};

const OUTCOME_TABLE = single(
  'clotures_issue',
  'Issue de la situation à la clôture',
  'closed',
  cellsOf(OUTCOMES, OUTCOME_LABELS),
  (f) => f.closure?.outcome ?? '',
  true,
);

export const COUNT_TABLES: readonly CountTableDef[] = [
  single(
    'saisines_origine',
    'Origine des saisines',
    'referred',
    cellsOf(REFERRAL_SOURCES, REFERRAL_SOURCE_LABELS),
    (f) => f.source,
  ),
  SEX_TABLE,
  AGE_TABLE,
  SEX_BY_AGE_TABLE,
  single(
    'saisines_logement',
    'Situation de logement',
    'referred',
    cellsOf(HOUSING_SITUATIONS, HOUSING_SITUATION_LABELS),
    (f) => f.housing,
  ),
  single(
    'saisines_menage',
    'Composition du ménage',
    'referred',
    cellsOf(HOUSEHOLDS, HOUSEHOLD_LABELS),
    (f) => f.household,
  ),
  {
    id: 'saisines_problematiques',
    title: 'Problématiques repérées à la saisine (plusieurs réponses possibles)',
    population: 'referred',
    kind: 'multi',
    strict: true,
    atLeastOne: false,
    cells: cellsOf(PROBLEMS, PROBLEM_LABELS),
    classify: (f) => f.problems,
  },
  single(
    'saisines_suite',
    'Suite donnée à la saisine',
    'referred',
    [
      { key: 'acceptee', label: "Acceptée ou en cours d'examen" },
      ...DECLINE_REASONS.map((r) => ({
        key: `refusee_${r}`,
        label: `Refusée : ${lowerFirst(DECLINE_REASON_LABELS[r])}`,
      })),
    ],
    (f) => (f.declineReason === undefined ? 'acceptee' : `refusee_${f.declineReason}`),
  ),
  single(
    'examen_delai',
    'Délai entre la saisine et le premier examen en séance',
    'reviewed',
    cellsOf(DELAY_BANDS, DELAY_BAND_LABELS),
    (f) => f.firstReview?.delay ?? '',
  ),
  {
    id: 'decisions',
    title: 'Décisions prises en séance (plusieurs réponses possibles)',
    population: 'decided',
    kind: 'multi',
    strict: true,
    atLeastOne: true,
    cells: cellsOf(DECISIONS, DECISION_LABELS),
    classify: decisionsInYear,
  },
  OUTCOME_TABLE,
  single(
    'clotures_duree',
    'Durée de suivi par la cellule, situations clôturées',
    'closed',
    cellsOf(DURATION_BANDS, DURATION_BAND_LABELS),
    (f) => f.closure?.duration ?? '',
  ),
];

/** Every table id of the catalogue, in the order of a release. */
export const TABLE_IDS: readonly string[] = [
  ACTIVITY_TABLE.id,
  ATTENDANCE_TABLE.id,
  ...COUNT_TABLES.map((t) => t.id),
];

export const countTableById: ReadonlyMap<string, CountTableDef> = new Map(COUNT_TABLES.map((t) => [t.id, t]));

/**
 * Groups of count tables that share cells: a cross table with its two margins. An attacker can only
 * combine what is linked by a linear identity, so each group is protected and checked as one model;
 * any other table stands alone (docs/statistics.md, "Why one model per block").
 */
export const DISCLOSURE_BLOCKS: readonly (readonly CountTableDef[])[] = (() => {
  const inCross = new Set<string>();
  const crosses: CountTableDef[][] = [];
  for (const t of COUNT_TABLES) {
    if (t.kind !== 'cross') continue;
    crosses.push([t.rows, t.columns, t]);
    inCross.add(t.rows.id).add(t.columns.id).add(t.id);
  }
  return [...COUNT_TABLES.filter((t) => !inCross.has(t.id)).map((t) => [t]), ...crosses];
})();
