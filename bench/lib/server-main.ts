import '../../src/http/heap-growth.js';
import { CompiledQuery } from 'kysely';
import type { AddressInfo } from 'node:net';
import { buildConfig } from '../../src/config/config.js';
import { readEnv } from '../../src/config/env.js';
import { loadSecrets } from '../../src/config/secrets.js';
import { createLogger } from '../../src/http/logger.js';
import { openDatabases } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/app.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { buildBareApp, type BareQuery } from './bare-app.js';
import { registerProbeRoutes } from './probe-routes.js';
import type { CreatedClsm, ServerReply, ServerRequest } from './server-protocol.js';

// The server under test, in its own process: the production API built exactly as src/server.ts
// builds it (same environment, configuration, database, context and app factory), plus the probe
// routes and the bare baseline app on a second port. The benchmark drives it over IPC for the one
// thing the API has no route for: creating a CLSM, which operators do next to the database.

const send = (message: ServerReply): void => {
  process.send?.(message);
};

const env = readEnv();
const config = buildConfig(env);
const secrets = await loadSecrets(env, config);
const dbs = await openDatabases(config, secrets);
const ctx = await createContext({ config, secrets, logger: createLogger(config.logLevel), dbs });
const api = await buildApp(ctx);
registerProbeRoutes(api);

// PGlite has a single session: the baseline shares it. On PostgreSQL the baseline gets a pool of
// its own, as large as the API's.
const bareQuery: BareQuery =
  dbs.engine === 'postgres' && config.database.kind === 'postgres'
    ? (() => {
        const pool = postgresPool(secrets.databaseUrl ?? '', config.database.poolSize);
        api.addHook('onClose', () => pool.end());
        return async (text, values) => (await pool.query(text, values)).rows as Record<string, unknown>[];
      })()
    : async (text, values) =>
        (await ctx.db.executeQuery(CompiledQuery.raw(text, values))).rows as Record<string, unknown>[];
const bare = buildBareApp(bareQuery);

await api.listen({ host: config.host, port: config.port });
await bare.listen({ host: config.host, port: 0 });
const url = (app: typeof api) => `http://${config.host}:${(app.server.address() as AddressInfo).port}`;
send({ type: 'ready', apiUrl: url(api), bareUrl: url(bare) });

async function handle(request: ServerRequest): Promise<unknown> {
  switch (request.type) {
    case 'create-clsm': {
      const created = await createClsm(ctx.db, request.name, ctx.charters);
      return { clsmId: created.clsmId, code: created.coordinatorCode } satisfies CreatedClsm;
    }
    case 'stop':
      await Promise.all([api.close(), bare.close()]);
      await dbs.close();
      setImmediate(() => {
        process.disconnect();
      });
      return null;
  }
}

process.on('message', (request: ServerRequest) => {
  handle(request).then(
    (value) => {
      send({ type: 'reply', id: request.id, ok: true, value });
    },
    (err: unknown) => {
      send({
        type: 'reply',
        id: request.id,
        ok: false,
        error: err instanceof Error ? err.message : 'failed',
      });
    },
  );
});
