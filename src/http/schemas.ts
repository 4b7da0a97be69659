import { z } from 'zod';
import { COMPARTMENTS } from '../kernel/compartments.js';

// Shared request/response building blocks. Binary values travel as standard base64 (RFC 4648 §4).

/** A base64 string decoded to bytes, optionally of an exact length, at most `max` bytes. */
export function bytes(options: { length?: number; max?: number } = {}) {
  const max = options.max ?? options.length ?? 64;
  return z
    .base64()
    .max(Math.ceil((max * 4) / 3) + 4)
    .transform((s) => Buffer.from(s, 'base64'))
    .refine((b) => options.length === undefined || b.length === options.length, {
      message: `must decode to exactly ${options.length ?? 0} bytes`,
    })
    .refine((b) => b.length <= max, { message: `must decode to at most ${max} bytes` })
    .meta({ type: 'string', format: 'byte' });
}

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });
/** A situation's compartment, as routes under /v1/cases/:id/compartments/:compartment name it. */
export const compartmentParams = z.strictObject({ id: uuid, compartment: z.enum(COMPARTMENTS) });
/** Key versions are stored in `integer` columns: above 2^31-1 PostgreSQL refuses the value. */
export const keyVersionSchema = z.number().int().positive().max(2_147_483_647);
/**
 * Text a human typed (a name, an organisation, a place): printable characters only. PostgreSQL
 * text columns cannot hold a NUL (the insert fails), and no control character or lone surrogate
 * belongs in such text. Every free-text field of every route uses this schema; a test walks the
 * routes' schemas and fails on a string field that accepts a NUL. A refinement, so the OpenAPI
 * document shows a plain string with its bounds.
 */
export function humanText(max: number) {
  return z.string().trim().min(1).max(max).refine(printable, PRINTABLE);
}
/** No control character (NUL included) and no lone surrogate. */
export const printable = (s: string): boolean => !/[\p{Cc}\p{Cs}]/u.test(s);
const PRINTABLE = { message: 'must not contain control characters' };
/** A name or an organisation. */
export const shortText = humanText(120);
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** Years a date given to the service may name: zod alone accepts year 0, which PostgreSQL does not. */
const plausibleYear = (s: string) => {
  const year = Number(s.slice(0, 4));
  return year >= 1900 && year <= 2999;
};
const YEAR_RANGE = { message: 'the year must be between 1900 and 2999' };

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = z.iso.date().refine(plausibleYear, YEAR_RANGE);

/** An instant, ISO 8601 in UTC (…Z). */
export const instant = z.iso.datetime().refine(plausibleYear, YEAR_RANGE);
