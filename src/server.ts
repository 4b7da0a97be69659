import './http/heap-growth.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildConfig } from './config/config.js';
import { readEnv } from './config/env.js';
import { startupFailure } from './startup-failure.js';
import { loadSecrets } from './config/secrets.js';
import { createLogger } from './http/logger.js';
import { openDatabases } from './db/database.js';
import { createContext } from './context.js';
import { buildApp } from './app.js';
import { buildStatsApp } from './stats/server/app.js';
import { bootstrapClsm } from './clsms/clsms.js';
import { firstCodeText, writeFirstCodeFile } from './clsms/first-code.js';
import { startBackgroundJobs } from './jobs.js';
import { checkpointAll } from './audit/checkpoints.js';
import { expireExceptions } from './consent/exceptions.js';
import { purgeExpired } from './cases/purge.js';
import { sealLeftEvents } from './db/seal-after-commit.js';

// The process entry: configuration, database, both servers, signals. Nothing else lives here.

async function main(): Promise<void> {
  const env = readEnv();
  const config = buildConfig(env);
  const secrets = await loadSecrets(env, config);
  const logger = createLogger(config.logLevel);
  logger.info({ config }, 'starting');

  const dbs = await openDatabases(config, secrets);
  const ctx = await createContext({ config, secrets, logger, dbs });
  const apiUrl = `http://${config.host}:${config.port}`;
  const created = await bootstrapClsm(ctx.db, config.bootstrapClsmName, ctx.charters);
  if (created !== undefined) await writeFirstCodeFile(config.bootstrapCodeFile, created, apiUrl);
  const api = await buildApp(ctx);
  const stats = await buildStatsApp(ctx);
  await api.listen({ host: config.host, port: config.port });
  await stats.listen({ host: config.host, port: config.statsPort });
  const stopJobs = startBackgroundJobs(ctx, {
    'audit-checkpoints': {
      everyMs: config.audit.checkpointIntervalSeconds * 1000,
      run: () => checkpointAll(ctx.db, ctx.auditSigner),
    },
    // Events a crash of the database took back into audit_pending are chained within seconds.
    'audit-sealing': { everyMs: 5_000, run: () => sealLeftEvents(ctx.db) },
    'exception-expiry': { everyMs: 60_000, run: () => expireExceptions(ctx) },
    'retention-purge': {
      everyMs: config.retention.purgeIntervalSeconds * 1000,
      run: () => purgeExpired(ctx.db, ctx.clock.now()),
    },
  });

  const webApp = existsSync(path.join(config.http.webRoot, 'index.html'));
  if (created !== undefined) {
    if (process.stdout.isTTY) process.stdout.write(`\n${firstCodeText(created, apiUrl)}\n`);
    process.stdout.write(
      `The first coordinator's one-time enrollment code is in ${config.bootstrapCodeFile} (readable by this user only).\n`,
    );
  }
  process.stdout.write(
    (webApp ? `web app ${apiUrl}/ · ` : '') +
      `API ${apiUrl} · statistics http://${config.host}:${config.statsPort}` +
      (config.http.docsEnabled ? ` · documentation ${apiUrl}/docs` : '') +
      (config.database.kind === 'pglite' ? ` · embedded database in ${config.dataDir}` : '') +
      '\n',
  );

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining requests');
    stopJobs();
    // Servers stop accepting, finish in-flight requests, then the pool closes.
    Promise.all([api.close(), stats.close()])
      // A last checkpoint, so that an outside copy can vouch for everything written until now.
      .then(() => checkpointAll(ctx.db, ctx.auditSigner))
      .then(() => dbs.close())
      .then(() => {
        logger.info('stopped');
        process.exitCode = 0;
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
  };
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
}

main().catch((err: unknown) => {
  const error = err instanceof Error ? err : new Error('unknown failure');
  process.stderr.write(`clsm: cannot start: ${startupFailure(err) ?? error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
