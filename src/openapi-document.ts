import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { buildConfig } from './config/config.js';
import { readEnv } from './config/env.js';
import { createContext } from './context.js';
import { kyselyOver } from './db/database.js';
import type { Database } from './db/schema.js';

/**
 * The API's OpenAPI document, built from the real app without a database: nothing is queried to
 * describe the routes (the pool points nowhere and is never used).
 */
export async function openApiDocument(): Promise<{ document: unknown; app: FastifyInstance }> {
  // The API only: the web app's files are not part of its contract.
  const config = buildConfig(
    readEnv({ DOCS_ENABLED: 'false', DATA_DIR: '/nonexistent', WEB_ROOT: '/nonexistent' }),
  );
  const db = kyselyOver<Database>(new pg.Pool({ host: '127.0.0.1', port: 9, max: 1 }));
  const ctx = await createContext({
    config,
    secrets: {
      databaseUrl: undefined,
      statsDatabaseUrl: undefined,
      migrateDatabaseUrl: undefined,
      tokenSigningKey: generateKeyPairSync('ed25519').privateKey,
      auditSigningKey: generateKeyPairSync('ed25519').privateKey,
    },
    logger: pino({ level: 'silent' }),
    dbs: {
      engine: 'postgres',
      db,
      reads: db,
      withStatsRole: () => Promise.reject(new Error('no database')),
      close: () => db.destroy(),
    },
  });
  const app = await buildApp(ctx);
  await app.ready();
  const document = app.swagger();
  await app.close();
  await db.destroy();
  return { document, app };
}

/** The text of docs/openapi.json: stable, so that a stale file shows as a diff. */
export function serialise(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
