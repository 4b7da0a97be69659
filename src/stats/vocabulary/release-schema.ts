import { z } from 'zod';

// The published form of a bilan, as stored frozen and served by the statistics server. A value is
// an integer or `n.d.` (non diffusé); nothing else, so that a reader can parse it without the engine.

export const NOT_DISCLOSED = 'n.d.' as const;

export const publishedValueSchema = z.union([z.number().int().min(0), z.literal(NOT_DISCLOSED)]);
export type PublishedValue = z.infer<typeof publishedValueSchema>;

export const publishedCellSchema = z.strictObject({
  key: z.string().min(1),
  label: z.string().min(1),
  value: publishedValueSchema,
});
export type PublishedCell = z.infer<typeof publishedCellSchema>;

export const publishedTableSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  /** Who is counted, in French, for the reader of the bilan. */
  population: z.string().min(1),
  /** `withheld`: fewer than 11 cases, so the table carries no cell. */
  status: z.enum(['published', 'withheld']),
  cells: z.array(publishedCellSchema),
  /** Exact number of cases of the population; `null` for activity tables, which have no total. */
  total: publishedValueSchema.nullable(),
  notes: z.array(z.string().min(1)),
});
export type PublishedTable = z.infer<typeof publishedTableSchema>;

export const releaseSchema = z.strictObject({
  catalogueVersion: z.string().min(1),
  year: z.number().int(),
  tables: z.array(publishedTableSchema),
});
export type Release = z.infer<typeof releaseSchema>;
