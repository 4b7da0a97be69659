import t from 'tap';
import { sql } from 'kysely';
import { openTestDatabase, ENGINE } from '../helpers/database.js';
import { asOwner } from '../helpers/owner.js';
import { auditedWrite, bareClsm } from '../helpers/audit.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db } = tdb.dbs;

const seqs = async (clsmId: string) =>
  (
    await db.selectFrom('audit_events').select('seq').where('clsm_id', '=', clsmId).orderBy('seq').execute()
  ).map((r) => r.seq);

t.test(
  `250 concurrent audited writes on one CLSM (${ENGINE}): one gapless chain that verifies`,
  async (t) => {
    const clsmId = await bareClsm(db);
    await Promise.all(Array.from({ length: 250 }, (_, i) => auditedWrite(db, clsmId, i)));
    await eventsSealed(db);
    t.same(
      await seqs(clsmId),
      Array.from({ length: 250 }, (_, i) => i + 1),
    );
    t.match(await verifyClsm(db, clsmId), { ok: true, events: 250, lastSeq: 250 });
  },
);

t.test('two CLSMs written in parallel keep two independent chains', async (t) => {
  const [a, b] = [await bareClsm(db, 'A'), await bareClsm(db, 'B')];
  await Promise.all(Array.from({ length: 200 }, (_, i) => auditedWrite(db, i % 2 === 0 ? a : b, i)));
  await eventsSealed(db);
  t.same(
    await seqs(a),
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  t.same(
    await seqs(b),
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  t.ok((await verifyClsm(db, a)).ok);
  t.ok((await verifyClsm(db, b)).ok);
});

t.test(
  'sixteen CLSMs written at once: every chain gapless, each verifies, nothing left pending',
  async (t) => {
    const clsms = await Promise.all(Array.from({ length: 16 }, (_, i) => bareClsm(db, `C${i}`)));
    await Promise.all(Array.from({ length: 320 }, (_, i) => auditedWrite(db, clsms[i % 16] ?? '', i)));
    await eventsSealed(db);
    for (const clsmId of clsms) {
      t.same(
        await seqs(clsmId),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      t.match(await verifyClsm(db, clsmId), { ok: true, events: 20 });
    }
    const left = await asOwner(tdb, (o) =>
      o.selectFrom('audit_pending').select('id').where('clsm_id', 'in', clsms).execute(),
    );
    t.same(left, [], 'nothing left pending once the writes are answered');
  },
);

t.test('sealings of overlapping CLSMs at once take their locks in one order: none fails', async (t) => {
  const clsms = await Promise.all(Array.from({ length: 8 }, (_, i) => bareClsm(db, `O${i}`)));
  const ids: number[] = [];
  for (let i = 0; i < 400; i += 1) {
    const row = await sql<{
      id: number;
    }>`insert into audit_pending (clsm_id, type, outcome, resource_type, resource_id)
        values (${clsms[i % 8] ?? ''}, 'auth.logout', 'success', 'test', ${String(i)}) returning id`.execute(
      db,
    );
    ids.push(row.rows[0]?.id ?? 0);
  }
  // Two sealings over every CLSM, in opposite orders of their ids, and two of all that is left.
  await Promise.all([
    sql`select audit_seal_many(${ids}::bigint[])`.execute(db),
    sql`select audit_seal_many(${[...ids].reverse()}::bigint[])`.execute(db),
    sql`select audit_seal_all()`.execute(db),
    sql`select audit_seal_all()`.execute(db),
  ]);
  for (const clsmId of clsms) {
    t.same(
      await seqs(clsmId),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    t.ok((await verifyClsm(db, clsmId)).ok);
  }
});

t.test('the preimage is expanded into its caller: built-in functions, no query of its own', async (t) => {
  const plan = await sql<{ 'QUERY PLAN': string }>`explain verbose
    select pg_catalog.sha256(audit_preimage(e)) from audit_events e`.execute(db);
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  t.notMatch(text, /audit_preimage|audit_field/, 'neither helper is called per event');
  t.match(text, /convert_to/, 'their body is');
});

t.test("the application cannot write the chain, nor choose an event's time, seq or hash", async (t) => {
  const clsmId = await bareClsm(db);
  await auditedWrite(db, clsmId, 0);
  await eventsSealed(db);
  await t.rejects(
    sql`insert into audit_events (clsm_id, seq, at, type, outcome, prev_hash, hash)
        values (${clsmId}, 2, now(), 'auth.login', 'success', ${Buffer.alloc(32, 7)}, ${Buffer.alloc(32, 9)})`.execute(
      db,
    ),
    /permission denied/,
    'only the sealing writes the chain',
  );
  // Raw SQL: the connection does not seal it, as if the process stopped after the commit.
  await sql`insert into audit_pending (clsm_id, at, type, outcome)
            values (${clsmId}, '2000-01-01', 'auth.login', 'success')`.execute(db);
  t.same(await seqs(clsmId), [1], 'not in the chain until sealed');
  await sql`select audit_seal(${clsmId})`.execute(db);
  t.same(await seqs(clsmId), [1, 2]);
  const sealed = await db
    .selectFrom('audit_events')
    .select('at')
    .where('clsm_id', '=', clsmId)
    .where('seq', '=', 2)
    .executeTakeFirstOrThrow();
  t.ok(Date.now() - sealed.at.getTime() < 60_000, "the time is the database's, not the one written");
  t.ok((await verifyClsm(db, clsmId)).ok);
});

t.test('an action that fails after its write and its event leaves neither', async (t) => {
  const clsmId = await bareClsm(db);
  // A constraint checked at COMMIT: the failure comes after everything was written.
  await asOwner(tdb, async (owner) => {
    await sql`create function fail_at_commit() returns trigger language plpgsql as $$ begin raise exception 'forced failure at commit'; end $$`.execute(
      owner,
    );
    await sql
      .raw(
        `create constraint trigger fail_at_commit after insert on revoked_tokens deferrable initially deferred
                   for each row when (new.clsm_id = '${clsmId}') execute function fail_at_commit()`,
      )
      .execute(owner);
  });
  t.teardown(() =>
    asOwner(tdb, (owner) => sql`drop trigger fail_at_commit on revoked_tokens`.execute(owner)),
  );
  await t.rejects(auditedWrite(db, clsmId, 1), /forced failure at commit/);
  t.same(await seqs(clsmId), [], 'no event');
  const pending = await asOwner(tdb, (owner) =>
    sql<{ n: number }>`select count(*)::int as n from audit_pending where clsm_id = ${clsmId}`.execute(owner),
  );
  t.equal(pending.rows[0]?.n, 0, 'none waiting to be sealed either');
  const rows = await db
    .selectFrom('revoked_tokens')
    .select('clsm_id')
    .where('clsm_id', '=', clsmId)
    .execute();
  t.same(rows, [], 'no business row');
});
