import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { badRequest } from '../kernel/errors.js';
import { uuid } from './schemas.js';

// Every list that grows without bound is read a page at a time: at most `limit` items and at most
// the configured byte budget (always at least one item), in a stable order whose ties are broken by
// id. The cursor is opaque to clients: base64url of the list's name, its scope (the ids the request
// named) and the last key served. A cursor from another list or another scope is refused, so a
// position taken in one list can never be replayed against another.

/** Items per page when the client does not say, and the most it may ask for. */
const PAGE_LIMIT_DEFAULT = 100;
const PAGE_LIMIT_MAX = 500;

/** The `cursor` and `limit` query parameters every paged list accepts. */
export const pageQuery = {
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by this list')
    .optional()
    .describe('The `nextCursor` of the previous page; absent for the first page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .describe(`Items per page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX})`),
};

/** An instant to the microsecond, as PostgreSQL stores it (a JavaScript Date keeps milliseconds only). */
const microInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

/** The keys lists are ordered by. */
export const keys = {
  /** (timestamp, id): the timestamp exactly as stored. */
  timeAndId: z.tuple([microInstant, uuid]),
  /** (calendar date, id). */
  dateAndId: z.tuple([z.iso.date(), uuid]),
  /** A strictly increasing integer (a sequence number). */
  seq: z.tuple([z.number().int().nonnegative()]),
  /** (text, id), e.g. a name then the id. */
  textAndId: z.tuple([z.string().max(200), uuid]),
};

export type TimeAndId = z.infer<typeof keys.timeAndId>;
export type DateAndId = z.infer<typeof keys.dateAndId>;

const envelope = z.strictObject({ l: z.string(), s: z.string(), k: z.array(z.unknown()) });

/** The cursor that resumes `list` (within `scope`) after the item whose key is `key`. */
export function encodeCursor(list: string, scope: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ l: list, s: scope, k: key })).toString('base64url');
}

/**
 * The key a cursor resumes after, or undefined for the first page. Garbage, a cursor of another
 * list or of another scope: 400, never a page of something else.
 */
export function decodeCursor<K extends z.ZodType>(
  cursor: string | undefined,
  list: string,
  scope: string,
  keySchema: K,
): z.infer<K> | undefined {
  if (cursor === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parsed = envelope.safeParse(raw);
  if (!parsed.success || parsed.data.l !== list || parsed.data.s !== scope) throw badCursor();
  const key = keySchema.safeParse(parsed.data.k);
  if (!key.success) throw badCursor();
  return key.data;
}

const badCursor = () => badRequest('cursor: not a cursor this list gave out for this request');

/**
 * A timestamp column as text to the microsecond, in UTC: the form a cursor carries and that
 * `::timestamptz` reads back exactly.
 */
export const microText = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `(time, id)` after (or, for a descending list, before) a `keys.timeAndId` key. */
export function afterTimeAndId(
  timeColumn: string,
  idColumn: string,
  key: TimeAndId,
  direction: 'asc' | 'desc' = 'asc',
): RawBuilder<boolean> {
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  return sql<boolean>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) ${op} (${key[0]}::timestamptz, ${key[1]}::uuid)`;
}

/** `(date, id)` after a `keys.dateAndId` key. */
export function afterDateAndId(dateColumn: string, idColumn: string, key: DateAndId): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(dateColumn)}, ${sql.ref(idColumn)}) > (${key[0]}::date, ${key[1]}::uuid)`;
}

export interface PageBounds {
  limit: number;
  maxBytes: number;
}

/**
 * How many of `sizes` (bytes each item takes in the response, in order) one page holds: at most
 * `limit`, stopping before the byte budget would be passed, and always at least one.
 */
export function fitting(sizes: readonly number[], bounds: PageBounds): number {
  let total = 0;
  let n = 0;
  for (const size of sizes.slice(0, bounds.limit)) {
    if (n > 0 && total + size > bounds.maxBytes) break;
    total += size;
    n += 1;
  }
  return n;
}

/**
 * One page of `rows` (fetched with one more than `limit`, so that the last page is known to be the
 * last): each row's response item and its key, cut at the count and at the bytes the items take
 * once serialised.
 */
export function pageOf<T>(
  list: string,
  scope: string,
  rows: readonly { item: T; key: readonly unknown[] }[],
  bounds: PageBounds,
): { items: T[]; nextCursor: string | null } {
  const n = fitting(
    rows.map((r) => JSON.stringify(r.item).length + 1),
    bounds,
  );
  const last = rows[n - 1];
  return {
    items: rows.slice(0, n).map((r) => r.item),
    nextCursor: n < rows.length && last !== undefined ? encodeCursor(list, scope, last.key) : null,
  };
}
