// A refused request names each field it refused, why, and the values it would have accepted, so
// that the caller can fix it without reading the API's source. Messages carry field names and the
// schema's own allowed values, never the value the caller sent.

import type { FieldError } from './problem-schema.js';

/** What the zod type provider puts in `error.validation`, one per zod issue. */
export interface ValidationIssue {
  instancePath?: string;
  message?: string | undefined;
  keyword?: string;
  params?: Record<string, unknown>;
}

const MAX_ERRORS = 20;
const IN_DETAIL = 3;

function fieldName(instancePath: string | undefined, context: string): string {
  const parts = (instancePath ?? '').split('/').filter((p) => p !== '');
  return parts.length === 0 ? context : parts.join('.');
}

function toFieldErrors(issue: ValidationIssue, context: string): FieldError[] {
  const field = fieldName(issue.instancePath, context);
  const params = issue.params ?? {};
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
    return params.keys.map((key) => ({
      field: field === context ? String(key) : `${field}.${String(key)}`,
      message: 'is not a field of this request',
    }));
  }
  if (issue.keyword === 'invalid_value' && Array.isArray(params.values)) {
    const allowed = params.values.map(String);
    return [{ field, message: `must be one of: ${allowed.join(', ')}`, allowed }];
  }
  const message = issue.message ?? 'is invalid';
  if (issue.keyword === 'invalid_type' && message.endsWith('received undefined')) {
    return [{ field, message: 'is required' }];
  }
  return [{ field, message }];
}

/** The problem's `errors` and its one-line `detail`, from the validator's issues. */
export function describeValidation(
  issues: ValidationIssue[],
  context: string,
): { detail: string; errors: FieldError[] } {
  const errors = issues.flatMap((issue) => toFieldErrors(issue, context)).slice(0, MAX_ERRORS);
  const shown = errors.slice(0, IN_DETAIL).map((e) => `${e.field} ${e.message}`);
  const more = errors.length > IN_DETAIL ? ` (and ${errors.length - IN_DETAIL} more)` : '';
  return {
    detail: shown.length === 0 ? `invalid ${context}` : `invalid ${context}: ${shown.join('; ')}${more}`,
    errors,
  };
}
