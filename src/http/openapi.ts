import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { documentRequestErrors } from './responses.js';

// The OpenAPI 3.1 document is generated from the routes' own zod schemas (nothing written by hand
// can drift), served with an interactive viewer at /docs when enabled, and written to
// docs/openapi.json by `npm run openapi`.

export async function registerOpenApi(
  app: FastifyInstance,
  options: { docsEnabled: boolean; version: string },
): Promise<void> {
  // Public routes declare no security requirement in the document.
  app.addHook('onRoute', (route) => {
    if (route.config?.public === true) route.schema = { ...route.schema, security: [] };
  });
  app.addHook('onRoute', documentRequestErrors);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CLSM cellule API',
        version: options.version,
        description:
          'Case coordination for the cellule de travail of a Conseil Local de Santé Mentale. Case content travels ' +
          'only as ciphertext, signatures and sealed keys: encryption happens in the client (see docs/crypto-protocol.md). ' +
          'Errors are RFC 9457 problem details with a stable `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  if (!options.docsEnabled) return;
  await app.register(async (docs) => {
    // The viewer's own pages are public, like the document they show.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
}
