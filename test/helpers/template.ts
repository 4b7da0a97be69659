import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { kyselyOver } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openPglite, pglitePool, postgresPool } from '../../src/db/pools.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { migrations } from '../../migrations/index.js';
import { databaseUrlFor } from './urls.js';

// The migrated database every test file copies (initdb and migrations cost seconds; a copy costs
// milliseconds). It is made on first use by whichever file needs it first, and named by the
// migrations' content: it outlives the run, and a changed migration makes a new one.

const MIGRATIONS = path.join(PROJECT_ROOT, 'migrations');

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(MIGRATIONS)).sort()) {
    hash.update(name).update(await readFile(path.join(MIGRATIONS, name)));
  }
  hash.update(await readFile(path.join(PROJECT_ROOT, 'src', 'db', 'migrate.ts')));
  // And the migrations this process loaded: one that started before the files changed (a checkout
  // or a merge under a running suite) migrates with the older list, and must not name its template
  // as the newer files.
  hash.update(JSON.stringify(Object.keys(migrations)));
  return hash.digest('hex').slice(0, 16);
}

let pgliteTemplate: Promise<string> | undefined;
let postgresTemplate: Promise<string> | undefined;

/** The PGlite template's data directory, made if missing. */
export function pgliteTemplateDir(): Promise<string> {
  pgliteTemplate ??= makePgliteTemplate();
  return pgliteTemplate;
}

/** The PostgreSQL template database's name, made if missing. */
export function postgresTemplateDb(adminUrl: string): Promise<string> {
  postgresTemplate ??= makePostgresTemplate(adminUrl);
  return postgresTemplate;
}

async function makePgliteTemplate(): Promise<string> {
  const hash = await migrationsHash();
  const final = path.join(os.tmpdir(), `clsm-template-${hash}`);
  if (await exists(path.join(final, 'PG_VERSION'))) return final;
  // Made aside and renamed into place: a file that starts meanwhile sees a whole template or none.
  const building = `${final}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const pglite = await openPglite(building);
  const db = kyselyOver<unknown>(pglitePool(pglite));
  await migrateToLatest(db);
  await db.destroy();
  await pglite.close();
  await rename(building, final).catch(async () => {
    // Another file finished first: theirs is the same template.
    await rm(building, { recursive: true, force: true });
  });
  await removeStale(hash);
  return final;
}

/** Templates of other migrations, untouched for a day (another checkout may still be using a newer one). */
async function removeStale(hash: string): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    if (!/^clsm-template-[0-9a-f]{16}$/.test(name) || name.endsWith(hash)) continue;
    const dir = path.join(os.tmpdir(), name);
    const age = Date.now() - (await stat(dir)).mtimeMs;
    if (age > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}

const STALE_MS = 86_400_000;

async function makePostgresTemplate(adminUrl: string): Promise<string> {
  const name = `clsm_template_${await migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await requireRoles(admin);
    await dropLeftovers(admin, name);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 1) return name;
    const building = `clsm_build_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${building} ENCODING 'UTF8' TEMPLATE template0`);
    const db = kyselyOver<unknown>(postgresPool(databaseUrlFor(adminUrl, { database: building }), 1));
    await migrateToLatest(db);
    await db.destroy();
    await admin.query(`COMMENT ON DATABASE ${building} IS '${Date.now()}'`);
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`).catch(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    });
    return name;
  } finally {
    await admin.end();
  }
}

async function requireRoles(admin: pg.Client): Promise<void> {
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
}

/**
 * Databases left by test processes that are gone (a crash, an interrupted run), and templates of
 * other migrations made over a day ago. Running processes keep theirs: their names carry their
 * process id.
 */
async function dropLeftovers(admin: pg.Client, template: string): Promise<void> {
  const found = await admin.query<{ datname: string; made: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS made FROM pg_database
      WHERE datname ~ '^clsm_(t|tpl|build)_[0-9]+(_|$)' OR datname ~ '^clsm_template_'`,
  );
  for (const { datname, made } of found.rows) {
    const pid = Number(/^clsm_(?:t|tpl|build)_(\d+)/.exec(datname)?.[1]);
    const stale = datname.startsWith('clsm_template_')
      ? datname !== template && Date.now() - Number(made ?? 0) > STALE_MS
      : !isAlive(pid);
    if (stale) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
