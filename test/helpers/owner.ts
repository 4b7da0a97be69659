import { Kysely, sql } from 'kysely';
import { kyselyOver } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import type { TestDatabase } from './database.js';

/**
 * Runs `fn` as the database's superuser/owner: what a database administrator (or an attacker with
 * their access) can do. On PGlite the single session leaves its application role for the duration.
 */
export async function asOwner<T>(tdb: TestDatabase, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  if (tdb.urls !== undefined) {
    const db = kyselyOver<any>(postgresPool(tdb.urls.owner, 1));
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }
  const db = tdb.dbs.db as unknown as Kysely<any>;
  await sql`reset role`.execute(db);
  try {
    return await fn(db);
  } finally {
    await sql`set role clsm_app`.execute(db);
  }
}
