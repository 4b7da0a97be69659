import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { problem, sendProblem } from './problem.js';
import { HELMET_OPTIONS } from './security.js';

const applyHelmet = helmet(HELMET_OPTIONS);

/**
 * Fastify's `frameworkErrors`: a URL whose percent-encoding is not UTF-8, or a path parameter over
 * `maxParamLength`, is refused by the router itself, before any hook. Without this the answer is
 * Fastify's own JSON echoing the path, with no security header and no request id.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is too long'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'the URL is not valid percent-encoded UTF-8'
        : undefined;
  applyHelmet(request.raw, reply.raw, () => {
    void reply.header('cache-control', 'no-store').header('x-request-id', request.id);
    sendProblem(
      reply,
      detail === undefined
        ? problem(request, 'INTERNAL_ERROR', 'an internal error occurred')
        : problem(request, 'VALIDATION_FAILED', detail),
    );
  });
}
