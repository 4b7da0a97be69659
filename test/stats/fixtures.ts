import fc from 'fast-check';
import {
  AGE_BANDS,
  DECISIONS,
  DECLINE_REASONS,
  DELAY_BANDS,
  DURATION_BANDS,
  HOUSEHOLDS,
  HOUSING_SITUATIONS,
  OUTCOMES,
  PROBLEMS,
  REFERRAL_SOURCES,
  SEXES,
} from '../../src/stats/vocabulary/categories.js';
import type { ActivityFacts, CaseFact, ReleaseInput } from '../../src/stats/vocabulary/facts.js';
import type { PublishedTable, PublishedValue, Release } from '../../src/stats/vocabulary/release-schema.js';

// Builders of engine input for the statistics tests and the benchmark. All synthetic: categories
// and months only.

export const YEAR = 2025;

export const caseFact = (overrides: Partial<CaseFact> = {}): CaseFact => ({
  referredMonth: `${YEAR}-03`,
  source: 'bailleur',
  sex: 'femme',
  ageBand: '45_64',
  housing: 'locataire_social',
  household: 'seul',
  problems: [],
  decisions: [],
  ...overrides,
});

export const repeat = (n: number, overrides: Partial<CaseFact> = {}): CaseFact[] =>
  Array.from({ length: n }, () => caseFact(overrides));

export const activity = (overrides: Partial<ActivityFacts> = {}): ActivityFacts => ({
  sittingsHeld: 11,
  referralsReceived: 0,
  attendance: [
    { partner: 'bailleur', expected: 11, present: 9 },
    { partner: 'psychiatrie', expected: 11, present: 11 },
  ],
  ...overrides,
});

/** An input whose activity counts exactly the referrals of the year. */
export const inputOf = (cases: CaseFact[], year = YEAR): ReleaseInput => ({
  year,
  cases,
  activity: activity({
    referralsReceived: cases.filter((c) => c.referredMonth.startsWith(`${year}-`)).length,
  }),
});

export function tableOf(release: Release, id: string): PublishedTable {
  const table = release.tables.find((t) => t.id === id);
  if (table === undefined) throw new Error(`no table ${id}`);
  return table;
}

export function valueOf(release: Release, id: string, key: string): PublishedValue {
  const cell = tableOf(release, id).cells.find((c) => c.key === key);
  if (cell === undefined) throw new Error(`no cell ${id}/${key}`);
  return cell.value;
}

const month = (year: number) =>
  fc.integer({ min: 1, max: 12 }).map((m) => `${year}-${String(m).padStart(2, '0')}`);

/** Skewed choices: real tables are lopsided, which is where suppression is hardest. */
const skewed = <T>(values: readonly T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values.slice(0, 2)) }, fc.constantFrom(...values));

export const caseFactArbitrary: fc.Arbitrary<CaseFact> = fc
  .record({
    referredMonth: fc.oneof({ weight: 4, arbitrary: month(YEAR) }, month(YEAR - 1)),
    source: skewed(REFERRAL_SOURCES),
    sex: skewed(SEXES),
    ageBand: skewed(AGE_BANDS),
    housing: skewed(HOUSING_SITUATIONS),
    household: skewed(HOUSEHOLDS),
    problems: fc.uniqueArray(skewed(PROBLEMS), { maxLength: 4 }),
    declineReason: fc.option(skewed(DECLINE_REASONS), { nil: undefined, freq: 3 }),
    firstReview: fc.option(fc.record({ month: month(YEAR), delay: skewed(DELAY_BANDS) }), { nil: undefined }),
    decisions: fc.array(fc.record({ month: month(YEAR), decision: skewed(DECISIONS) }), { maxLength: 3 }),
    closure: fc.option(
      fc.record({ month: month(YEAR), outcome: skewed(OUTCOMES), duration: skewed(DURATION_BANDS) }),
      { nil: undefined },
    ),
  })
  .map((fact) => {
    // Optional fields left undefined would not survive a strict schema's round trip unchanged.
    const copy: CaseFact = { ...fact };
    if (copy.declineReason === undefined) delete copy.declineReason;
    if (copy.firstReview === undefined) delete copy.firstReview;
    if (copy.closure === undefined) delete copy.closure;
    return copy;
  });

/** A deterministic generator (mulberry32), so that the benchmark measures the same data every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` cases with lopsided categories, about three quarters referred in YEAR. */
export function syntheticCases(n: number, seed = 1): CaseFact[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() ** 2 * values.length)] as T;
  const m = () => `${YEAR}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`;
  return Array.from({ length: n }, () => {
    const fact = caseFact({
      referredMonth:
        next() < 0.75 ? m() : `${YEAR - 1}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`,
      source: pick(REFERRAL_SOURCES),
      sex: pick(SEXES),
      ageBand: pick(AGE_BANDS),
      housing: pick(HOUSING_SITUATIONS),
      household: pick(HOUSEHOLDS),
      problems: [...new Set([pick(PROBLEMS), pick(PROBLEMS), pick(PROBLEMS)])],
      decisions: next() < 0.6 ? [{ month: m(), decision: pick(DECISIONS) }] : [],
    });
    if (next() < 0.1) fact.declineReason = pick(DECLINE_REASONS);
    if (next() < 0.7) fact.firstReview = { month: m(), delay: pick(DELAY_BANDS) };
    if (next() < 0.4) fact.closure = { month: m(), outcome: pick(OUTCOMES), duration: pick(DURATION_BANDS) };
    return fact;
  });
}
