import t from 'tap';
import { sql, type Kysely, type Transaction } from 'kysely';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { StatementNames, statementNames } from '../../src/db/named-statements.js';
import type { Database } from '../../src/db/schema.js';

// The app's connections prepare each statement with values once, by name, and bind new values
// after (src/db/named-statements.ts): checked on the database's own list of the session's
// prepared statements.

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db } = tdb.dbs;

interface Prepared {
  name: string;
  executions: number;
}

/** This session's prepared statement of a text, with how many times it has run (plans made). */
async function preparedOf(trx: Transaction<Database>, text: string): Promise<Prepared | undefined> {
  const { rows } = await sql<Prepared>`
    select name, (generic_plans + custom_plans)::int as executions
      from pg_prepared_statements where statement = ${text}`.execute(trx);
  return rows[0];
}

const textOf = (query: { compile(db: Kysely<Database>): { sql: string } }) => query.compile(db).sql;

t.test(
  `a statement with values is prepared once by name and run again with new values, on ${ENGINE}`,
  async (t) => {
    const query = (n: number) => sql<{ v: number }>`select ${n}::int + 1 as v`;
    const text = textOf(query(0));
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < 7; n += 1) t.equal((await query(n).execute(trx)).rows[0]?.v, n + 1);
      const prepared = await preparedOf(trx, text);
      t.equal(prepared?.name, statementNames.nameOf(text), 'prepared under its process-wide name');
      t.equal(prepared?.executions, 7, 'one prepared statement ran all seven times');
    });
  },
);

t.test('a statement without values is not prepared by name', async (t) => {
  await db.transaction().execute(async (trx) => {
    await sql`select 'no values here' as v`.execute(trx);
    t.equal(await preparedOf(trx, `select 'no values here' as v`), undefined);
  });
});

t.test(
  'a failed, refused or rolled-back first use leaves the statement usable on its connection',
  async (t) => {
    // One connection throughout: a prepared statement belongs to the session that parsed it.
    await db.connection().execute(async (conn) => {
      const broken = (n: number) => sql`select ${n}::int frm nowhere`;
      for (let attempt = 0; attempt < 2; attempt += 1)
        await t.rejects(broken(attempt).execute(conn), /syntax error/, 'the database says why, every time');
      const first = (n: number) =>
        sql<{ doubled: number }>`select ${n}::int * 2 as doubled, 'first use in a rollback' as note`;
      await sql`begin`.execute(conn);
      t.equal((await first(1).execute(conn)).rows[0]?.doubled, 2);
      await sql`rollback`.execute(conn);
      const refused = (n: number) => sql<{ tripled: number }>`select ${n}::int * 3 as tripled`;
      await sql`begin`.execute(conn);
      await t.rejects(broken(3).execute(conn), /syntax error/);
      await t.rejects(refused(1).execute(conn), /current transaction is aborted/, 'its first parse refused');
      await sql`rollback`.execute(conn);
      for (let n = 2; n < 5; n += 1) {
        t.equal(
          (await first(n).execute(conn)).rows[0]?.doubled,
          n * 2,
          'prepared in a rolled-back transaction',
        );
        t.equal((await refused(n).execute(conn)).rows[0]?.tripled, n * 3, 'parsed again after a refusal');
      }
    });
  },
);

t.test('names are given up to a bound; past it, new texts run unnamed', (t) => {
  const names = new StatementNames(2);
  const a = names.nameOf('select $1');
  const b = names.nameOf('select $1, $2');
  t.not(a, b);
  t.equal(names.nameOf('select $1, $2, $3'), undefined, 'a third text is not named');
  t.equal(names.nameOf('select $1'), a, 'a named text keeps its name');
  t.end();
});
