import type { FastifyBaseLogger } from 'fastify';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Logs that cannot leak: requests are reduced to method, route and id (no query string, no headers,
// no client address); errors to their type, code and stack; and anything that looks like a key,
// token, signature or ciphertext is censored wherever it appears two levels deep.

const SENSITIVE = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'enrollmentCode',
  'password',
  'passphrase',
  'nonce',
  'signature',
  'ciphertext',
  'secretKey',
  'privateKey',
  'wrappedKey',
  'sealedKey',
  'key',
  'keys',
  'justification',
];

const redactPaths = SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'req.headers',
  'res.headers',
]);

interface SerializableRequest {
  id?: string;
  method?: string;
  routeOptions?: { url?: string };
}

const serializers = {
  req: (req: SerializableRequest) => ({
    id: req.id,
    method: req.method,
    // The route pattern, never the URL: identifiers, query strings and whatever an unmatched path
    // carries stay out of the logs.
    route: req.routeOptions?.url ?? '(no route)',
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: (err: Error & { code?: unknown }) => ({
    type: err.name,
    message: err.message,
    code: typeof err.code === 'string' ? err.code : undefined,
    stack: err.stack,
  }),
};

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers,
    base: { service: 'clsm' },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination);
}

/** A named child logger in the type Fastify expects (pino's own type is wider than Fastify's). */
export function childLogger(ctx: { logger: Logger }, server: string): FastifyBaseLogger {
  const child: FastifyBaseLogger = ctx.logger.child({ server });
  return child;
}
