import { z } from 'zod';

// What every paged response adds to its items (src/http/paging.ts). Only zod here: the SDK takes
// its page types from it.

/** The `nextCursor` of every paged response: null on the last page. */
export const nextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `cursor` to get the next page; null when this page is the last');
