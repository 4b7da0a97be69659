import { ENGINE } from './database.js';

// How many fuzzed requests each route gets. The counts of issue 10 (1,000 schema-valid requests
// per route, 50 per bad-input class) run on PostgreSQL, the production engine; on the embedded
// PGlite, where every request waits for the one database session and the suite runs a second
// time, a tenth of them. FUZZ_VALID / FUZZ_BAD override the counts, FUZZ_SEED draws other requests.

const count = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const full = ENGINE === 'postgres';

export const FUZZ = {
  valid: count('FUZZ_VALID', full ? 1000 : 100),
  bad: count('FUZZ_BAD', full ? 50 : 5),
  /**
   * A fixed seed: the suite passes or fails on the code, never on luck. Explore with another
   * FUZZ_SEED by hand; a seed that finds a defect becomes a fixed case (text-fields.test.ts).
   */
  seed: count('FUZZ_SEED', 754_814),
  /**
   * How long a fuzz file may run: the full counts are some 77,000 (valid, 77 routes) and 54,000
   * (bad input) requests, several minutes each on two cores alone, beyond the suite's five-minute
   * default; a cap far above that, so that a machine busy with other work slows the file rather
   * than failing it.
   */
  fileTimeoutMs: full ? 50 * 60_000 : 5 * 60_000,
  /** Said in the test output, so that a reader knows which counts this run used. */
  note: full
    ? 'full counts (PostgreSQL)'
    : 'a tenth of the counts on PGlite; the full counts run on PostgreSQL',
};
