import { z } from 'zod';
import { publishedTableSchema } from './release-schema.js';

// The published form of a regional release: the same tables as a CLSM's, each with the number of
// CLSMs it sums, and the version of the year (docs/statistics.md, "Regional releases").

export const regionalTableSchema = publishedTableSchema.extend({
  /** CLSMs whose table is summed here. */
  contributors: z.number().int().min(0),
});
export type RegionalTable = z.infer<typeof regionalTableSchema>;

export const regionalSchema = z.strictObject({
  catalogueVersion: z.string().min(1),
  year: z.number().int(),
  /** A new version is frozen each time some table takes in new CLSMs. */
  version: z.number().int().min(1),
  /** CLSMs summed in at least one table. */
  contributors: z.number().int().min(0),
  tables: z.array(regionalTableSchema),
});
export type RegionalAggregate = z.infer<typeof regionalSchema>;
