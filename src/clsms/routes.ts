import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { readClsmSettings } from './settings.js';
import { clsmSettingsSchema } from './wire-schema.js';

export function registerClsmRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/clsm',
    {
      schema: {
        tags: ['clsm'],
        summary:
          "This CLSM's name and how the service is set for it (retention, legal exceptions, statistics releases), read-only",
        response: { 200: clsmSettingsSchema, ...problems(...AUTHENTICATED) },
      },
    },
    async (request) => {
      const s = await readClsmSettings(ctx.db, ctx.policies, ctx.config, callerOf(request));
      return { ...s, createdAt: s.createdAt.toISOString() };
    },
  );
}
