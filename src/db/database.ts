import { Kysely, sql, type Transaction } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { DEFAULT_READ_LANES, type Config } from '../config/config.js';
import { ConfigError } from '../config/env.js';
import type { Secrets } from '../config/secrets.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import { openPglite, PG_TYPES, pglitePool, postgresPool } from './pools.js';
import { readLanesOver } from './read-lanes.js';
import { lockDataDir } from './data-dir-lock.js';
import { kyselyOver, sealLeftEvents } from './seal-after-commit.js';
import type { Database } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Databases {
  engine: Engine;
  /** The API's connection, as the role `clsm_app` (no DDL, INSERT/SELECT only on the audit log). */
  db: Kysely<Database>;
  /**
   * The same role's single reads outside any transaction, on read lanes (docs/adr/0043): the
   * hottest statements of every request. On PGlite, its one session: `db` itself.
   */
  reads: Kysely<Database>;
  /** Runs `fn` in a read-only transaction as the statistics role, which can read views in `stats` only. */
  withStatsRole<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const APP_ROLE = 'clsm_app';
const STATS_ROLE = 'clsm_stats';

/** Every database of the service is opened with its sealer (docs/adr/0039). */
export { kyselyOver };

export async function openDatabases(config: Config, secrets: Secrets): Promise<Databases> {
  if (config.database.kind === 'pglite') {
    const unlock = await lockDataDir(config.dataDir);
    try {
      return await openEmbedded(await openPglite(config.database.dataDir), { onClose: unlock });
    } catch (err) {
      await unlock();
      throw err;
    }
  }
  const { databaseUrl, statsDatabaseUrl, migrateDatabaseUrl } = secrets;
  if (databaseUrl === undefined || statsDatabaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL and STATS_DATABASE_URL are required for PostgreSQL');
  }
  return openPostgres({
    appUrl: databaseUrl,
    statsUrl: statsDatabaseUrl,
    migrateUrl: migrateDatabaseUrl,
    poolSize: config.database.poolSize,
    readLanes: config.database.readLanes,
  });
}

export interface PostgresUrls {
  appUrl: string;
  statsUrl: string;
  migrateUrl: string | undefined;
  poolSize: number;
  readLanes?: number;
}

/** PostgreSQL with one pool per role: migrations as the owner (if given), the API, the statistics. */
export async function openPostgres(urls: PostgresUrls): Promise<Databases> {
  if (urls.migrateUrl !== undefined) {
    const owner = kyselyOver<unknown>(postgresPool(urls.migrateUrl, 1));
    try {
      await migrateToLatest(owner);
    } finally {
      await owner.destroy();
    }
  }
  const db = kyselyOver<Database>(postgresPool(urls.appUrl, urls.poolSize));
  const lanes = urls.readLanes ?? DEFAULT_READ_LANES;
  // No lanes: the reads go through the pool (a connection pooler in between that does not carry
  // pipelined statements).
  const reads =
    lanes === 0 ? db : readLanesOver<Database>({ connectionString: urls.appUrl, lanes, types: PG_TYPES });
  const stats = kyselyOver<Database>(postgresPool(urls.statsUrl, 4));
  const closeAll = async () => {
    await Promise.all([db.destroy(), ...(reads === db ? [] : [reads.destroy()]), stats.destroy()]);
  };
  try {
    await assertSchemaCurrent(db);
    await sealLeftEvents(db);
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    engine: 'postgres',
    db,
    reads,
    withStatsRole: (fn) =>
      stats.transaction().execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        return fn(trx);
      }),
    close: closeAll,
  };
}

/**
 * The embedded database: migrations run as PGlite's superuser, then the session switches to the
 * application role so that the same grants apply as on PostgreSQL. API and statistics share the
 * one session (a second pool would interleave transactions on it); statistics reads switch role
 * for the length of their transaction.
 */
export async function openEmbedded(
  pglite: PGlite,
  options: { migrate?: boolean; onClose?: () => Promise<void> } = {},
): Promise<Databases> {
  if (options.migrate !== false) {
    const owner = kyselyOver<unknown>(pglitePool(pglite));
    try {
      await migrateToLatest(owner);
      // The embedded engine has no autovacuum: the rows emptied by sealing (docs/adr/0032) are
      // reclaimed at each start.
      await sql`vacuum audit_pending`.execute(owner);
    } finally {
      await owner.destroy();
    }
  }
  const db = kyselyOver<Database>(pglitePool(pglite));
  let closed = false;
  await sql`set role ${sql.id(APP_ROLE)}`.execute(db);
  await assertSchemaCurrent(db);
  await sealLeftEvents(db);
  return {
    engine: 'pglite',
    db,
    reads: db,
    withStatsRole: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await sql`set local role ${sql.id(STATS_ROLE)}`.execute(trx);
        return fn(trx);
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
      await options.onClose?.();
    },
  };
}

async function assertSchemaCurrent(db: Kysely<Database>): Promise<void> {
  const pending = await pendingMigrations(db as Kysely<unknown>);
  if (pending.length > 0) {
    throw new ConfigError(
      `the database schema is behind (pending: ${pending.join(', ')}): run \`npm run migrate\` with MIGRATE_DATABASE_URL set to the schema owner, or set MIGRATE_DATABASE_URL for the server`,
    );
  }
}
