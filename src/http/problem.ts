import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorCode } from '../kernel/errors.js';
import type { Problem } from './problem-schema.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import type { AuditEvent } from '../kernel/audit-events.js';
import { describeValidation, type ValidationIssue } from './validation-problem.js';

// RFC 9457 problem details, produced in one place for every error of every route.

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  errors?: Problem['errors'],
): Problem {
  const status = ERROR_CODES[code];
  return {
    type: `urn:clsm:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    requestId: request.id,
    ...(errors === undefined ? {} : { errors }),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

const FASTIFY_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'UNSUPPORTED_MEDIA_TYPE',
    'only application/json request bodies are accepted',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'MALFORMED_JSON',
    'the request body does not match its Content-Length',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'the request body is too large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'the request body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'the request body is not valid JSON'],
};

/** Maps any thrown value to a problem. 5xx bodies never say what went wrong inside. */
function toProblem(request: FastifyRequest, error: unknown): Problem {
  if (error instanceof AppError) return problem(request, error.code, error.detail);
  if (isDatabaseUnavailable(error)) {
    return problem(request, 'SERVICE_UNAVAILABLE', 'the database is unavailable; retry shortly');
  }
  const err = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(err.validation)) {
    const { detail, errors } = describeValidation(err.validation, err.validationContext ?? 'request');
    return problem(request, 'VALIDATION_FAILED', detail, errors);
  }
  const byCode = err.code === undefined ? undefined : FASTIFY_ERRORS[err.code];
  if (byCode !== undefined) return problem(request, byCode[0], byCode[1]);
  if (err.statusCode === 429) return problem(request, 'RATE_LIMITED', 'too many requests; slow down');
  if (err.statusCode === 415) {
    return problem(request, 'UNSUPPORTED_MEDIA_TYPE', 'only application/json request bodies are accepted');
  }
  if (err.statusCode === 413) return problem(request, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (err.statusCode === 400 || error instanceof SyntaxError) {
    // Body parser errors (malformed JSON, forbidden __proto__ keys): the message is fastify's, not ours.
    return problem(request, 'MALFORMED_JSON', 'the request body could not be parsed');
  }
  return problem(request, 'INTERNAL_ERROR', 'an internal error occurred');
}

/**
 * The error handler. `refusals` is where an AuditedRefusal's event goes: the audit log (the API, which
 * records it in a transaction of its own), or only the log (the statistics server, which writes
 * nothing to the database).
 */
export function registerProblemHandlers(
  app: FastifyInstance,
  refusals: ((event: AuditEvent) => Promise<void>) | 'log-only',
): void {
  app.setErrorHandler(async (error, request, reply) => {
    let body = toProblem(request, error);
    if (error instanceof AuditedRefusal) {
      if (refusals === 'log-only') {
        const { type, reason, action, actorId, actorRole, clsmId } = error.event;
        request.log.info(
          { code: body.code, refusal: { type, reason, action, actorId, actorRole, clsmId } },
          'request refused',
        );
        return sendProblem(reply, body);
      }
      // The refused action's transaction has rolled back by now: the refusal is recorded on its own.
      try {
        await refusals(error.event);
      } catch (err) {
        request.log.error({ err }, 'could not record a refusal');
        body = toProblem(request, err);
      }
    }
    if (body.status >= 500) {
      request.log.error({ err: error, code: body.code }, 'request failed');
      if (body.status === 503) void reply.header('retry-after', '5');
    } else {
      request.log.info({ code: body.code }, 'request refused');
    }
    return sendProblem(reply, body);
  });
}
