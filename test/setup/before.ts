import { mkdir, rm } from 'node:fs/promises';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { kyselyOver } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { pglitePool, postgresPool } from '../../src/db/pools.js';
import { LOG_DIR, PG_TEMPLATE_DB, PGLITE_TEMPLATE, SECRETS_DIR, TEST_ROOT } from '../helpers/paths.js';
import { databaseUrlFor } from '../helpers/database.js';

// Runs once before the suite: migrates ONE template database that every test file then copies
// (initdb of a PGlite costs seconds; a copy costs milliseconds).

await rm(LOG_DIR, { recursive: true, force: true });
await rm(SECRETS_DIR, { recursive: true, force: true });
await mkdir(LOG_DIR, { recursive: true });
await mkdir(SECRETS_DIR, { recursive: true });

const adminUrl = process.env.DATABASE_URL;
if (adminUrl !== undefined && adminUrl !== '') {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Databases left by runs whose tap process is gone (a crash, an interrupted run). Other runs that
  // are still going keep theirs: their names carry their process id.
  const leftovers = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname ~ '^clsm_(t|tpl)_[0-9]+'`,
  );
  for (const { datname } of leftovers.rows) {
    const pid = Number(/^clsm_(?:t|tpl)_(\d+)/.exec(datname)?.[1]);
    if (!isAlive(pid))
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE_DB} ENCODING 'UTF8' TEMPLATE template0`);
  for (const role of ['clsm_app', 'clsm_stats']) {
    const r = await admin.query<{ rolcanlogin: boolean }>(
      'SELECT rolcanlogin FROM pg_roles WHERE rolname = $1',
      [role],
    );
    if (r.rows[0]?.rolcanlogin !== true) {
      throw new Error(
        `role ${role} must exist with LOGIN on the test server (see .ci/run: CREATE ROLE ${role} LOGIN)`,
      );
    }
  }
  await admin.end();
  const db = kyselyOver<unknown>(postgresPool(databaseUrlFor(adminUrl, { database: PG_TEMPLATE_DB }), 1));
  await migrateToLatest(db);
  await db.destroy();
} else {
  await rm(PGLITE_TEMPLATE, { recursive: true, force: true });
  await mkdir(TEST_ROOT, { recursive: true });
  const pglite = await PGlite.create(PGLITE_TEMPLATE);
  const db = kyselyOver<unknown>(pglitePool(pglite));
  await migrateToLatest(db);
  await db.destroy();
  await pglite.close();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
