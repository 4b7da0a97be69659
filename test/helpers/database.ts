import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openEmbedded, openPostgres, type Databases, type Engine } from '../../src/db/database.js';
import { RUN_ID, TEST_ROOT } from './paths.js';
import { pgliteTemplateDir, postgresTemplateDb } from './template.js';
import { databaseUrlFor } from './urls.js';

export const ENGINE: Engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export { databaseUrlFor };

export interface TestDatabase {
  dbs: Databases;
  /** PostgreSQL only: connection strings of this file's database, as owner, app and stats roles. */
  urls: { owner: string; app: string; stats: string } | undefined;
  /** PGlite only: the data directory. */
  dataDir: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a copy of the template (template.ts), on PostgreSQL
 * (CREATE DATABASE ... TEMPLATE) or on PGlite (a copy of the template's data directory).
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const template = await postgresTemplateDb(adminUrl);
    const name = `clsm_t_${RUN_ID}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    // A commit need not wait for the disk: a test database never outlives a crash of its server,
    // and the fault tests, which do kill servers, run on a cluster of their own (pg-cluster.ts).
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    await admin.end();
    const urls = {
      owner: databaseUrlFor(adminUrl, { database: name }),
      app: databaseUrlFor(adminUrl, { user: 'clsm_app', database: name }),
      stats: databaseUrlFor(adminUrl, { user: 'clsm_stats', database: name }),
    };
    const dbs = await openPostgres({
      appUrl: urls.app,
      statsUrl: urls.stats,
      migrateUrl: undefined,
      poolSize: 10,
    });
    return {
      dbs,
      urls,
      dataDir: undefined,
      close: async () => {
        await dbs.close();
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name}`);
        await a.end();
      },
    };
  }
  const template = await pgliteTemplateDir();
  await mkdir(TEST_ROOT, { recursive: true });
  const dataDir = await mkdtemp(path.join(TEST_ROOT, 'db-'));
  await cp(template, dataDir, { recursive: true });
  const dbs = await openEmbedded(await PGlite.create(dataDir));
  return {
    dbs,
    urls: undefined,
    dataDir,
    close: async () => {
      await dbs.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
