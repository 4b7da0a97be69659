import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { kyselyOver, openEmbedded, openPostgres, type Databases } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openPglite, postgresPool } from '../../src/db/pools.js';
import { writeNewEd25519Key } from '../../src/config/secrets.js';

// The benchmark's own database, created and migrated before and dropped after, exactly as the
// test suite does it (test/setup/before.ts): a fresh PostgreSQL database on the server of
// DATABASE_URL (which must be a role allowed to create databases), or a PGlite data directory.

export type DatabaseAccess =
  | { engine: 'postgres'; ownerUrl: string; appUrl: string; statsUrl: string }
  /** `dataDir` is the server's DATA_DIR: the database itself lives in its `pglite/` folder. */
  | { engine: 'pglite'; dataDir: string };

export interface BenchDatabase {
  access: DatabaseAccess;
  /** What a server process needs in its environment to run on this database. */
  serverEnv: Record<string, string>;
  /** The engine's own version string, for the results. */
  version: string;
  drop(): Promise<void>;
}

export interface DatabaseOptions {
  /** Where key files and the PGlite data directory go. */
  workDir: string;
  /** PostgreSQL as a role that may create databases; without it, PGlite. */
  adminUrl: string | undefined;
  /** Copy an already migrated template instead of migrating (the smoke test reuses the suite's). */
  template?: { postgresDatabase: string } | { pgliteDir: string };
}

export function urlFor(url: string, change: { user?: string; database?: string }): string {
  const u = new URL(url);
  if (change.user !== undefined) {
    u.username = change.user;
    u.password = '';
  }
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  return u.toString();
}

export async function createBenchDatabase(options: DatabaseOptions): Promise<BenchDatabase> {
  return options.adminUrl === undefined ? createPglite(options) : createPostgres(options, options.adminUrl);
}

async function createPostgres(options: DatabaseOptions, adminUrl: string): Promise<BenchDatabase> {
  const name = `clsm_bench_${randomBytes(6).toString('hex')}`;
  const template =
    options.template !== undefined && 'postgresDatabase' in options.template
      ? options.template.postgresDatabase
      : undefined;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE ${template ?? 'template0'}`);
  } finally {
    await admin.end();
  }
  const access = {
    engine: 'postgres' as const,
    ownerUrl: urlFor(adminUrl, { database: name }),
    appUrl: urlFor(adminUrl, { user: 'clsm_app', database: name }),
    statsUrl: urlFor(adminUrl, { user: 'clsm_stats', database: name }),
  };
  const owner = kyselyOver<unknown>(postgresPool(access.ownerUrl, 1));
  let version: string;
  try {
    if (template === undefined) await migrateToLatest(owner);
    version = (await sql<{ server_version: string }>`show server_version`.execute(owner)).rows[0]
      ?.server_version as string;
  } finally {
    await owner.destroy();
  }
  // Production with PostgreSQL requires key files: the benchmark makes its own, like an operator.
  const secrets = path.join(options.workDir, 'secrets');
  await writeNewEd25519Key(path.join(secrets, 'token-signing.pem'));
  await writeNewEd25519Key(path.join(secrets, 'audit-signing.pem'));
  return {
    access,
    serverEnv: {
      DATABASE_URL: access.appUrl,
      STATS_DATABASE_URL: access.statsUrl,
      TOKEN_SIGNING_KEY_FILE: path.join(secrets, 'token-signing.pem'),
      AUDIT_SIGNING_KEY_FILE: path.join(secrets, 'audit-signing.pem'),
    },
    version: `PostgreSQL ${version}`,
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

async function createPglite(options: DatabaseOptions): Promise<BenchDatabase> {
  const dataDir = path.join(options.workDir, 'data');
  const pgliteDir = path.join(dataDir, 'pglite');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (options.template !== undefined && 'pgliteDir' in options.template) {
    await cp(options.template.pgliteDir, pgliteDir, { recursive: true });
  }
  // Opening migrates (a no-op on a migrated copy); the server then opens an existing directory.
  const dbs = await openEmbedded(await openPglite(pgliteDir));
  let version: string;
  try {
    version = (await sql<{ v: string }>`select version() as v`.execute(dbs.db)).rows[0]?.v ?? 'unknown';
  } finally {
    await dbs.close();
  }
  return {
    access: { engine: 'pglite', dataDir },
    serverEnv: { DATA_DIR: dataDir },
    version: `PGlite ${/PostgreSQL [0-9.]+/.exec(version)?.[0] ?? version}`,
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** The database as the API role, from another process than the server's (one at a time on PGlite). */
export async function openAsApp(access: DatabaseAccess, poolSize: number): Promise<Databases> {
  if (access.engine === 'postgres') {
    return openPostgres({
      appUrl: access.appUrl,
      statsUrl: access.statsUrl,
      migrateUrl: undefined,
      poolSize,
    });
  }
  return openEmbedded(await openPglite(path.join(access.dataDir, 'pglite')), { migrate: false });
}
