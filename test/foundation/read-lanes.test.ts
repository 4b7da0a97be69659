import t from 'tap';
import { sql } from 'kysely';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { isDatabaseUnavailable } from '../../src/db/errors.js';
import { openPostgres } from '../../src/db/database.js';

// The API's single reads travel on read lanes: connections in pipeline mode shared by every request
// (src/db/read-lanes.ts, docs/adr/0043). Each statement gets its own answer however many share a
// lane; a lane is read-only and takes no transaction; a lost lane fails what it carried and the
// next statement opens a new one. PGlite has one session: its reads are the database itself.

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db, reads } = tdb.dbs;

const pidOf = async () =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid, ${'lane'}::text as via`.execute(reads)).rows[0]
    ?.pid;

if (ENGINE === 'pglite') {
  t.test('on PGlite, reads go to its one session', async (t) => {
    t.equal(reads, db);
  });
} else {
  t.test('five hundred statements at once, on two lanes: each gets its own answer', async (t) => {
    const answers = await Promise.all(
      Array.from({ length: 500 }, async (_, n) => {
        const { rows } = await sql<{ v: number }>`select ${n}::int * 3 as v`.execute(reads);
        return rows[0]?.v;
      }),
    );
    t.same(
      answers,
      Array.from({ length: 500 }, (_, n) => n * 3),
    );
    const pids = new Set(await Promise.all(Array.from({ length: 8 }, pidOf)));
    t.equal(pids.size, 2, 'the statements were spread over the two lanes');
  });

  t.test('a write on a lane is refused by the database; the statements beside it are answered', async (t) => {
    const clsms = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from tenants`.execute(db)).rows[0]?.n);
    const before = await clsms();
    const [write, ...others] = await Promise.allSettled([
      sql`insert into tenants (clsm_id, name) values (gen_random_uuid(), ${'not on a lane'})`.execute(reads),
      ...Array.from({ length: 20 }, (_, n) => sql<{ v: number }>`select ${n}::int as v`.execute(reads)),
    ]);
    t.equal(write.status, 'rejected');
    t.match(write.status === 'rejected' ? (write.reason as { code?: string }).code : '', '25006');
    t.same(
      others.map((o) => (o.status === 'fulfilled' ? o.value.rows[0] : 'refused')),
      Array.from({ length: 20 }, (_, n) => ({ v: n })),
    );
    t.equal(await clsms(), before, 'nothing was written');
  });

  t.test('a transaction cannot be opened on a lane', async (t) => {
    let ran = false;
    await t.rejects(
      reads.transaction().execute(async () => {
        ran = true;
      }),
      /a transaction belongs on the pool/,
    );
    t.notOk(ran);
  });

  t.test('DATABASE_READ_LANES=0: the reads go through the pool', async (t) => {
    const urls = tdb.urls;
    if (urls === undefined) throw new Error('PostgreSQL without its URLs');
    const dbs = await openPostgres({
      appUrl: urls.app,
      statsUrl: urls.stats,
      migrateUrl: undefined,
      poolSize: 2,
      readLanes: 0,
    });
    t.teardown(() => dbs.close());
    t.equal(dbs.reads, dbs.db);
    await dbs.reads.transaction().execute(async (trx) => {
      t.same((await sql<{ v: number }>`select ${7}::int as v`.execute(trx)).rows, [{ v: 7 }]);
    });
  });

  t.test(
    'a lane whose connection is lost fails what it carried; once the loss is seen, statements open new ones',
    async (t) => {
      const [first, second] = await Promise.all([pidOf(), pidOf()]);
      t.not(first, second);
      const slow = sql`select pg_sleep(5), ${'carried when lost'}::text as note`.execute(reads);
      const refusal = slow.then(
        () => undefined,
        (err: unknown) => err,
      );
      // The application role may end its own sessions.
      await sql`select pg_sleep(0.2), pg_terminate_backend(pid) from pg_stat_activity
               where pid in (${first}, ${second})`.execute(db);
      const err = await refusal;
      t.ok(err !== undefined && isDatabaseUnavailable(err), 'answered as the database unavailable (503)');
      // A statement sent before a lane has read the end of its connection fails as unavailable too;
      // from then on the lane opens a new one. Within a few seconds, all of a round succeed.
      const round = () =>
        Promise.all(Array.from({ length: 8 }, pidOf)).then(
          (pids) => new Set(pids),
          (err: unknown) => {
            if (!isDatabaseUnavailable(err)) throw err;
            return undefined;
          },
        );
      let after: Set<number | undefined> | undefined;
      for (let tries = 0; after === undefined && tries < 100; tries += 1) {
        after = await round();
        if (after === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (after === undefined) throw new Error('the lanes did not recover');
      t.equal(after.size, 2);
      t.notOk(after.has(first ?? -1) || after.has(second ?? -1), 'on new connections');
    },
  );
}
