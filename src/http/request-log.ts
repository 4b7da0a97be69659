import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

// One line per request, written when it completes (method, route, status, time and its id), instead
// of Fastify's two; and a request's own logger made only when something else is logged for it.
// Together they were most of what logging cost a request (docs/performance.md, item 4).

/** Fastify's request lines, reduced to one on completion through the server's logger. */
export class CompletedRequestLog extends LogController {
  override incomingRequest(): void {
    // The completion line says everything this one said.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) request.server.log.error({ ...line, err: error }, 'request errored');
    else request.server.log.info(line, 'request completed');
  }
}

/** A request's logger, bound to its id, made from the server's on its first use. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  let child: FastifyBaseLogger | undefined;
  const real = (): FastifyBaseLogger => (child ??= logger.child(bindings, options));
  const forward =
    (level: Level): LogFn =>
    (...args: unknown[]) => {
      const target = real();
      Reflect.apply(target[level], target, args);
    };
  return {
    get level() {
      return child?.level ?? options.level ?? logger.level;
    },
    set level(level: string) {
      real().level = level;
    },
    fatal: forward('fatal'),
    error: forward('error'),
    warn: forward('warn'),
    info: forward('info'),
    debug: forward('debug'),
    trace: forward('trace'),
    silent: forward('silent'),
    child: (b, o) => real().child(b, o),
  };
}
