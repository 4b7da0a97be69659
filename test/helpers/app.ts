import { mkdirSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { buildConfig } from '../../src/config/config.js';
import { readEnv } from '../../src/config/env.js';
import type { Secrets } from '../../src/config/secrets.js';
import { createContext, type AppContext } from '../../src/context.js';
import { loggerOptions } from '../../src/http/logger.js';
import type { Clock } from '../../src/util/clock.js';
import { openTestDatabase, type TestDatabase } from './database.js';
import { LOG_DIR, scratchDir } from './paths.js';
export { mustNotLeak } from './leak-scan.js';

export interface ManualClock extends Clock {
  set(date: Date): void;
  advance(ms: number): void;
}

export function manualClock(start = new Date()): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (d) => {
      now = d.getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  db: TestDatabase;
  clock: ManualClock;
  secrets: Secrets;
  /** Where this app's JSON log lines go. */
  logFile: string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * The real API (same factory as production) on a fresh copy of the template database, with real
 * keys, a manual business clock, and logs written to a file the suite scans for leaks at the end.
 */
export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra routes for tests that need a route to misbehave. */
  beforeReady?: (app: FastifyInstance) => void;
  /** Another database than a fresh copy of the template (e.g. a throwaway cluster). */
  database?: TestDatabase;
}

export async function startTestApp(t: Teardown, options: TestAppOptions = {}): Promise<TestApp> {
  const env = options.env ?? {};
  const db = options.database ?? (await openTestDatabase());
  const clock = manualClock();
  const postgres =
    db.urls !== undefined
      ? {
          DATABASE_URL: db.urls.app,
          STATS_DATABASE_URL: db.urls.stats,
          TOKEN_SIGNING_KEY_FILE: '/unused',
          AUDIT_SIGNING_KEY_FILE: '/unused',
        }
      : {};
  const config = buildConfig(
    readEnv({
      RATE_LIMIT_MAX: '1000000',
      AUTH_RATE_LIMIT_MAX: '1000000',
      LOG_LEVEL: 'info',
      DATA_DIR: db.dataDir ?? '/unused',
      AUDIT_WITNESS_FILE: path.join(await scratchDir('witness'), 'audit-witness.jsonl'),
      // The web app only where a test asks for it: unknown paths stay 404 problems otherwise.
      WEB_ROOT: '/unused',
      ...postgres,
      ...env,
    }),
  );
  const secrets: Secrets = {
    databaseUrl: db.urls?.app,
    statsDatabaseUrl: db.urls?.stats,
    migrateDatabaseUrl: undefined,
    tokenSigningKey: generateKeyPairSync('ed25519').privateKey,
    auditSigningKey: generateKeyPairSync('ed25519').privateKey,
  };
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${process.pid}-${randomBytes(4).toString('hex')}.log`);
  const logger = pino(loggerOptions(config.logLevel), pino.destination({ dest: logFile, sync: true }));
  const ctx = await createContext({ config, secrets, logger, dbs: db.dbs, clock });
  const app = await buildApp(ctx);
  options.beforeReady?.(app);
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await db.close();
  });
  return { app, ctx, db, clock, secrets, logFile };
}
