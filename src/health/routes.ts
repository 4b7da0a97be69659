import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../kernel/errors.js';
import { problems } from '../http/responses.js';

const READY_TIMEOUT_MS = 2_000;

/** Liveness (the process answers) and readiness (the database answers); shared by both servers. */
export function registerHealthRoutes(app: FastifyInstance, ping: () => Promise<unknown>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }), ...problems() } },
    },
    () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ready') }), ...problems() },
      },
    },
    async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new AppError('SERVICE_UNAVAILABLE', 'the database did not answer in time'));
        }, READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([ping(), timeout]);
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('SERVICE_UNAVAILABLE', 'the database is unavailable', { cause: err });
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ready' as const };
    },
  );
}
