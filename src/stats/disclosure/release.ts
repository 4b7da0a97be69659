import { activityTable, attendanceTable } from './activity-tables.js';
import { assertReleaseProtected } from './audit.js';
import { CATALOGUE_VERSION, COUNT_TABLES, DISCLOSURE_BLOCKS } from '../vocabulary/catalogue.js';
import { releaseInputSchema, type ReleaseInput } from '../vocabulary/facts.js';
import { POPULATIONS } from '../vocabulary/populations.js';
import type { PublishedTable, Release } from '../vocabulary/release-schema.js';
import { protectBlock } from './suppression.js';
import { tally } from './tally.js';

/**
 * The bilan of one CLSM for one calendar year. Pure and deterministic: the same input, in any order,
 * gives the same release, with no date inside (the caller records when it was released). Throws a
 * ZodError on malformed input and a DisclosureCheckError if the result failed the LP check, which
 * the builder is designed never to produce.
 */
export function buildRelease(input: ReleaseInput): Release {
  const { year, cases, activity } = releaseInputSchema.parse(input);
  const referred = cases.filter((fact) => POPULATIONS.referred.includes(fact, year)).length;
  if (activity.referralsReceived < referred) {
    throw new RangeError(
      `referralsReceived (${activity.referralsReceived}) is below the ${referred} cases referred in ${year}`,
    );
  }
  const counts = tally(cases, year);
  const protectedTables = new Map<string, PublishedTable>();
  for (const block of DISCLOSURE_BLOCKS) {
    for (const table of protectBlock(block, counts)) protectedTables.set(table.id, table);
  }
  const release: Release = {
    catalogueVersion: CATALOGUE_VERSION,
    year,
    tables: [
      activityTable(activity),
      attendanceTable(activity),
      ...COUNT_TABLES.map((def) => {
        const table = protectedTables.get(def.id);
        if (table === undefined) throw new Error(`table ${def.id} belongs to no disclosure block`);
        return table;
      }),
    ],
  };
  assertReleaseProtected(release);
  return release;
}
