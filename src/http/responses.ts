import type { RouteOptions } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../kernel/errors.js';
import { problemSchema } from './problem-schema.js';

// Every route documents the errors it can answer, by status and stable code (docs/openapi.json).

/** Errors any route may answer, whatever it does. */
const ALWAYS: ErrorCode[] = ['TOKEN_IN_QUERY', 'RATE_LIMITED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
/** Errors any authenticated route may answer. */
export const AUTHENTICATED: ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'CHARTER_NOT_ACCEPTED',
  'FORBIDDEN',
];
/** Errors any route on a situation may answer: the caller may not know it, or it was purged. */
export const ON_A_SITUATION: ErrorCode[] = [...AUTHENTICATED, 'NOT_FOUND', 'CASE_PURGED'];
/** Errors of an action the situation's membership log records: its statement's signature and place. */
export const LOGGED: ErrorCode[] = ['BAD_SIGNATURE', 'LOG_HEAD_MOVED'];
/** Errors any route on a situation's compartment may answer: consent may not cover the caller. */
export const ON_A_COMPARTMENT: ErrorCode[] = [...ON_A_SITUATION, 'CONSENT_REQUIRED'];
/**
 * Errors of the request itself, added to each route's documentation from what it accepts (see
 * documentRequestErrors): Fastify parses a body on every method but GET and HEAD, whether or not
 * the route declares one, and validates path and query parameters wherever they are declared.
 */
const WITH_BODY: ErrorCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];
const WITH_PARAMETERS: ErrorCode[] = ['VALIDATION_FAILED'];

const CODES = Symbol('documented problem codes');

function responsesFor(codes: readonly ErrorCode[]) {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...codes, ...ALWAYS]) {
    const status = ERROR_CODES[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  return Object.fromEntries(
    [...byStatus].map(([status, set]) => [
      status,
      problemSchema.describe(`Problem details (application/problem+json); code: ${[...set].join(', ')}`),
    ]),
  );
}

/** The problem responses of a route, by status, for the codes its handler can answer. */
export function problems(...codes: ErrorCode[]) {
  return { ...responsesFor(codes), [CODES]: codes };
}

/** An onRoute hook: completes `problems(...)` with the errors of the request the route accepts. */
export function documentRequestErrors(route: RouteOptions): void {
  const response = route.schema?.response as Record<string | symbol, unknown> | undefined;
  const codes = response?.[CODES] as ErrorCode[] | undefined;
  if (route.schema === undefined || response === undefined || codes === undefined) return;
  const readsBody = [route.method].flat().some((m) => m !== 'GET' && m !== 'HEAD');
  const hasParameters = route.schema.params !== undefined || route.schema.querystring !== undefined;
  const request = readsBody ? WITH_BODY : hasParameters ? WITH_PARAMETERS : [];
  route.schema = { ...route.schema, response: { ...response, ...responsesFor([...codes, ...request]) } };
}
