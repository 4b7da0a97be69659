import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { asOwner } from '../helpers/owner.js';
import { bareClsm } from '../helpers/audit.js';

// What the statistics role can reach, asked of the database itself: every relation of every
// schema, tried for real through withStatsRole (a separate login on PostgreSQL, SET LOCAL ROLE on
// PGlite), and the catalogue's own answer for every privilege.

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db } = tdb.dbs;

const READABLE = new Set(['stats.published_releases', 'stats.published_regional_releases']);
const CALLABLE = new Set(['stats.session_principal', 'stats.oidc_principal']);

const relations = (
  await sql<{ name: string; kind: string }>`
    select n.nspname || '.' || c.relname as name, c.relkind::text as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
     order by 1`.execute(db)
).rows;

t.test(`on ${ENGINE}, the statistics role reads the two releases views and nothing else`, async (t) => {
  t.ok(relations.some((r) => r.name === 'public.members'));
  t.ok(relations.some((r) => r.name === 'stats.case_facts'));
  for (const { name } of relations) {
    const [schema = '', table = ''] = name.split('.');
    const attempt = tdb.dbs.withStatsRole((trx) =>
      sql`select 1 from ${sql.table(`${schema}.${table}`)} limit 1`.execute(trx),
    );
    if (READABLE.has(name)) await t.resolves(attempt, `${name} is readable`);
    else await t.rejects(attempt, /permission denied/, `${name} is not`);
  }
});

t.test('the catalogue agrees: no other privilege on any relation, no other function', async (t) => {
  const privileges = await sql<{ name: string; privilege: string }>`
    select n.nspname || '.' || c.relname as name, p.privilege
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p(privilege)
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
       and has_table_privilege('clsm_stats', c.oid, p.privilege)`.execute(db);
  t.same(
    new Set(privileges.rows.map((r) => `${r.name} ${r.privilege}`)),
    new Set(['stats.published_releases SELECT', 'stats.published_regional_releases SELECT']),
  );
  const functions = await sql<{ name: string }>`
    select n.nspname || '.' || p.proname as name
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'stats' and has_function_privilege('clsm_stats', p.oid, 'EXECUTE')
     order by 1`.execute(db);
  t.same(new Set(functions.rows.map((r) => r.name)), CALLABLE);
  const appCalls = await sql<{ n: number }>`
    select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'stats' and p.proname like '%principal'
       and has_function_privilege('clsm_app', p.oid, 'EXECUTE')`.execute(db);
  t.equal(appCalls.rows[0]?.n, 0, 'the functions are for the statistics role only');
  const definer = await sql<{ name: string; config: string[] | null }>`
    select p.proname as name, p.proconfig as config from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'stats' and p.prosecdef order by 1`.execute(db);
  t.same(
    definer.rows.map((r) => r.name),
    [
      'declare_person',
      'forget_case',
      'oidc_principal',
      'record_closure',
      'record_decision',
      'record_decline',
      'record_first_review',
      'record_referral',
      'referrals_received',
      'release_facts',
      'session_principal',
    ],
  );
  t.ok(
    definer.rows.every((r) => r.config?.join() === 'search_path=pg_catalog, pg_temp'),
    'SECURITY DEFINER, each with a pinned search_path',
  );
  const appOnly = await sql<{ name: string }>`
    select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'stats' and p.prosecdef and p.proname not like '%principal'
       and not has_function_privilege('clsm_app', p.oid, 'EXECUTE')`.execute(db);
  t.same(appOnly.rows, [], 'the fact functions are the application role’s');
});

t.test('the statistics role writes nothing, even in stats', async (t) => {
  await t.rejects(
    tdb.dbs.withStatsRole((trx) => sql`create table stats.x (id int)`.execute(trx)),
    /read-only|permission denied/,
  );
  await t.rejects(
    tdb.dbs.withStatsRole((trx) => sql`delete from stats.published_releases`.execute(trx)),
    /read-only|permission denied|cannot delete/,
  );
});

t.test('a release is frozen, even for the schema owner; its hash is checked', async (t) => {
  const clsmId = await bareClsm(db);
  const memberId = randomUUID();
  await db
    .insertInto('members')
    .values({
      clsm_id: clsmId,
      id: memberId,
      role: 'coordinator',
      organisation: 'CLSM',
      display_name: 'Coordination',
    })
    .execute();
  const content = '{"catalogueVersion":"2026.1","tables":[],"year":2024}';
  const row = {
    clsm_id: clsmId,
    year: 2024,
    catalogue_version: '2026.1',
    content,
    released_at: new Date(),
    released_by: memberId,
  };
  await t.rejects(
    db
      .insertInto('stats.releases')
      .values({ ...row, content_hash: '0'.repeat(64) })
      .execute(),
    /check constraint/,
    'a hash that is not the content’s',
  );
  const hash = (
    await sql<{ h: string }>`select encode(sha256(convert_to(${content}, 'UTF8')), 'hex') as h`.execute(db)
  ).rows[0]?.h;
  await db
    .insertInto('stats.releases')
    .values({ ...row, content_hash: hash ?? '' })
    .execute();
  await t.rejects(
    db
      .insertInto('stats.releases')
      .values({ ...row, content_hash: hash ?? '' })
      .execute(),
    /duplicate key/,
    'once per CLSM and year',
  );
  await asOwner(tdb, async (owner) => {
    await t.rejects(
      sql`update stats.releases set content = '{}' where clsm_id = ${clsmId}`.execute(owner),
      /frozen/,
    );
    await t.rejects(sql`delete from stats.releases where clsm_id = ${clsmId}`.execute(owner), /frozen/);
    await t.rejects(sql`truncate stats.releases`.execute(owner), /frozen/);
  });
});

t.test('facts: categories and months only, a person described whole or not at all', async (t) => {
  const clsmId = await bareClsm(db);
  const fact = (changes: Record<string, unknown>) => {
    const v = {
      month: '2025-03',
      source: 'bailleur',
      sex: 'femme',
      age: 'inconnu',
      housing: 'inconnu',
      household: 'seul',
      problems: ['incurie'],
      ...changes,
    };
    // As the owner: the application role writes facts only through the stats functions.
    return asOwner(tdb, (owner) =>
      sql`insert into stats.case_facts
        (clsm_id, id, referred_month, source, sex, age_band, housing, household, problems)
        values (${clsmId}, ${randomUUID()}, ${v.month}, ${v.source}, ${v.sex}, ${v.age}, ${v.housing},
                ${v.household}, ${v.problems}::text[])`.execute(owner),
    );
  };
  await t.resolves(fact({}));
  await t.rejects(fact({ month: '2025-03-14' }), /check constraint/, 'no day');
  await t.rejects(fact({ source: 'voisin' }), /check constraint/, 'no category outside the list');
  await t.rejects(fact({ problems: ['Mme X refuse les soins'] }), /check constraint/, 'no free text');
  await t.rejects(fact({ sex: null }), /check constraint/, 'no half-described person');
});
