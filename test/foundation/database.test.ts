import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { pendingMigrations } from '../../src/db/migrate.js';

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db } = tdb.dbs;

t.test(
  `two concurrent transactions on ${ENGINE}: the one that throws leaves nothing, the other commits`,
  async (t) => {
    const kept = randomUUID();
    const dropped = randomUUID();
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('tenants').values({ clsm_id: dropped, name: 'dropped' }).execute();
      // Give the other transaction every chance to interleave before this one fails.
      await new Promise((r) => setTimeout(r, 20));
      await sql`select 1`.execute(trx);
      throw new Error('forced failure');
    });
    const succeeding = db.transaction().execute(async (trx) => {
      await trx.insertInto('tenants').values({ clsm_id: kept, name: 'kept' }).execute();
      await new Promise((r) => setTimeout(r, 5));
      await trx.insertInto('tenants').values({ clsm_id: randomUUID(), name: 'kept too' }).execute();
    });
    const [a, b] = await Promise.allSettled([failing, succeeding]);
    t.equal(a.status, 'rejected');
    t.equal(b.status, 'fulfilled');
    const names = (
      await db
        .selectFrom('tenants')
        .select('name')
        .where('name', 'in', ['dropped', 'kept', 'kept too'])
        .execute()
    ).map((r) => r.name);
    t.same(names.sort(), ['kept', 'kept too']);
  },
);

t.test('the schema is current', async (t) => {
  t.same(await pendingMigrations(db as never), []);
});

t.test('the application role has no DDL rights and cannot rewrite the audit log', async (t) => {
  await t.rejects(sql`create table intruder (id int)`.execute(db), /permission denied/);
  await t.rejects(sql`drop table members`.execute(db), /must be owner|permission denied/);
  await t.rejects(sql`update audit_events set type = 'x'`.execute(db), /permission denied/);
  await t.rejects(sql`delete from audit_events`.execute(db), /permission denied/);
  await t.rejects(sql`truncate audit_events`.execute(db), /permission denied/);
});

t.test('the statistics role reads nothing outside the stats schema', async (t) => {
  for (const table of ['members', 'tenants', 'audit_events', 'sessions', 'enrollment_codes']) {
    await t.rejects(
      tdb.dbs.withStatsRole((trx) => sql`select * from ${sql.table(table)}`.execute(trx)),
      /permission denied/,
      table,
    );
  }
  await t.rejects(
    tdb.dbs.withStatsRole((trx) => sql`create table stats.x (id int)`.execute(trx)),
    /read-only|permission denied/,
  );
});
