import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { buildConfig } from '../config/config.js';
import { readEnv } from '../config/env.js';
import { loadSecrets } from '../config/secrets.js';
import { createContext, type AppContext } from '../context.js';
import { openDatabases } from '../db/database.js';
import { buildStatsApp } from '../stats/server/app.js';
import type { Clock } from '../util/clock.js';

// The demo's world: the real servers, started in this process on free ports, with a business clock
// the story can move (to release last year's bilan). On a fresh embedded database in a temporary
// directory by default; on DATABASE_URL or DATA_DIR when set, so the result can be inspected.

export interface World {
  ctx: AppContext;
  apiUrl: string;
  statsUrl: string;
  clock: Clock & { set(date: Date): void };
  where: string;
  close(): Promise<void>;
}

export async function startWorld(start: Date): Promise<World> {
  const env = { ...process.env };
  // A directory of its own is the demo's to remove; one the user named is theirs to inspect.
  let scratch: string | undefined;
  if ((env.DATABASE_URL ?? '') === '' && (env.DATA_DIR ?? '') === '') {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'clsm-demo-'));
    env.DATA_DIR = scratch;
  }
  const config = buildConfig(readEnv({ ...env, LOG_LEVEL: 'silent' }));
  const secrets = await loadSecrets(readEnv(env), config);
  let now = start.getTime();
  const clock = {
    now: () => new Date(now),
    set: (d: Date) => {
      now = d.getTime();
    },
  };
  const dbs = await openDatabases(config, secrets);
  const ctx = await createContext({ config, secrets, logger: pino({ level: 'silent' }), dbs, clock });
  const api = await buildApp(ctx);
  const stats = await buildStatsApp(ctx);
  const url = async (app: FastifyInstance) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  };
  return {
    ctx,
    apiUrl: await url(api),
    statsUrl: await url(stats),
    clock,
    where:
      config.database.kind === 'pglite'
        ? `embedded database in ${config.dataDir}`
        : 'PostgreSQL (DATABASE_URL)',
    close: async () => {
      await api.close();
      await stats.close();
      await dbs.close();
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    },
  };
}
