// The disclosure rules of the bilan, in one place (docs/statistics.md, "Rules"). The builder applies
// them; the audit turns them into what an attacker knows about each published value.

/** The threshold: no published count describes fewer than K people. */
export const K = 11;

/** Rounding base of breakdown cells. Odd, so that no count is halfway between two multiples. */
export const ROUNDING_BASE = 5;

/** A suppressed cell must keep at least this much room between its lowest and highest possible value. */
export const MIN_PROTECTION_WIDTH = 10;

/**
 * Primary suppression. A count of 1 to 10 is never shown. Under the strict rule (sensitive or
 * multi-choice categories) a count is shown only between K and N - K, so that neither "no one" nor
 * "everyone but a few" can be read; a plain 0 is shown because it is about a category, not a person.
 */
export function isPublishable(count: number, total: number, strict: boolean): boolean {
  if (strict) return count >= K && count <= total - K;
  return count === 0 || count >= K;
}

/** Nearest multiple of 5. A publishable count is 0 (kept 0) or at least 11 (rounded to 10 or more). */
export const roundCell = (count: number): number => Math.round(count / ROUNDING_BASE) * ROUNDING_BASE;

export interface Interval {
  readonly min: number;
  readonly max: number;
}

/**
 * What a published cell tells an attacker who knows these rules: its rounding interval, cut by the
 * fact that the cell passed primary suppression. A published 0 is an exact 0, since 1 and 2 would
 * have been suppressed, never rounded down.
 */
export function intervalOfPublished(value: number, total: number, strict: boolean): Interval {
  if (value === 0) return { min: 0, max: 0 };
  const half = (ROUNDING_BASE - 1) / 2;
  return {
    min: Math.max(value - half, K),
    max: strict ? Math.min(value + half, total - K) : value + half,
  };
}
