import { buildConfig } from '../src/config/config.js';
import { readEnv } from '../src/config/env.js';
import { kyselyOver } from '../src/db/database.js';
import { lockDataDir } from '../src/db/data-dir-lock.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openPglite, pglitePool, postgresPool } from '../src/db/pools.js';

// `npm run migrate`: applies pending migrations as the schema owner (MIGRATE_DATABASE_URL), or on
// the embedded database in DATA_DIR. The server also does this at start when it can.

const env = readEnv();
const url = env.MIGRATE_DATABASE_URL ?? env.DATABASE_URL;
let applied: string[];
if (url !== undefined) {
  const db = kyselyOver<unknown>(postgresPool(url, 1));
  try {
    applied = await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
} else {
  const config = buildConfig(env);
  if (config.database.kind !== 'pglite')
    throw new Error('unreachable: no database URL means the embedded database');
  const unlock = await lockDataDir(config.dataDir);
  const pglite = await openPglite(config.database.dataDir);
  const db = kyselyOver<unknown>(pglitePool(pglite));
  try {
    applied = await migrateToLatest(db);
  } finally {
    await db.destroy();
    await pglite.close();
    await unlock();
  }
}
process.stdout.write(
  applied.length === 0 ? 'database schema already current\n' : `applied: ${applied.join(', ')}\n`,
);
