import { createHash } from 'node:crypto';

// The frozen form of a release: object keys sorted by UTF-16 code unit, no whitespace, as in
// RFC 8785 for the values a release holds (strings, integers, null, arrays, objects). The same
// release always gives the same bytes, hence the same hash.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a release holds finite numbers only');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`a release cannot hold a ${typeof value}`);
}

/** SHA-256 of the canonical JSON, lowercase hex: the identity under which a release is frozen. */
export const contentHash = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
