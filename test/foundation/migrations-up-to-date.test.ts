import t from 'tap';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { kyselyOver } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openPglite, pglitePool, postgresPool } from '../../src/db/pools.js';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { TEST_ROOT } from '../helpers/paths.js';
import { pgliteTemplateDir } from '../helpers/template.js';

// A start on an up-to-date database skips Kysely's migrator; a database that has applied a
// migration this code does not know still goes through it, and is refused.

async function ownerOfACopy(): Promise<{ db: Kysely<unknown>; close(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const tdb = await openTestDatabase();
    const db = kyselyOver<unknown>(postgresPool(tdb.urls?.owner ?? '', 1));
    return { db, close: () => db.destroy().then(() => tdb.close()) };
  }
  const template = await pgliteTemplateDir();
  await mkdir(TEST_ROOT, { recursive: true });
  const dir = await mkdtemp(path.join(TEST_ROOT, 'db-'));
  await cp(template, dir, { recursive: true });
  const pglite = await openPglite(dir);
  const db = kyselyOver<unknown>(pglitePool(pglite));
  return {
    db,
    close: async () => {
      await db.destroy();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

t.test(`on ${ENGINE}: nothing to do, or an unknown migration refused`, async (t) => {
  const owner = await ownerOfACopy();
  t.teardown(() => owner.close());
  t.same(await migrateToLatest(owner.db), [], 'up to date: nothing applied');
  await sql`insert into kysely_migration (name, timestamp) values ('99990101000000_from_a_newer_version', '2099-01-01T00:00:00.000Z')`.execute(
    owner.db,
  );
  await t.rejects(migrateToLatest(owner.db), { name: 'MigrationError' });
});
