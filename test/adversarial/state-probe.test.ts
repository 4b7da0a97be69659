import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { fuzz, newTally, type FuzzTally } from '../helpers/fuzz-runner.js';
import { newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { routeRecorder } from '../helpers/routes.js';
import { stateProbe } from '../helpers/state-probe.js';

// What the fuzzers rely on to say that a refused request changed nothing (state-probe.ts), shown
// to catch it: the schema owner makes every recorded refusal also write elsewhere, as a careless
// handler or trigger would, and the same refused request is judged again.

const recorder = routeRecorder();
const ta = await startTestApp(t, {
  beforeReady: (app) => {
    recorder.beforeReady(app);
  },
});
const route = recorder.discover(ta.app).find((r) => r.method === 'GET' && r.url === '/v1/cases/:id');
if (route === undefined) throw new Error('GET /v1/cases/:id is not served');
const { coordinator } = await newClsm(ta);
const probe = await stateProbe(ta.db);

/** The coordinator asks for a situation that does not exist: refused, and the refusal recorded. */
async function refusedRequest(): Promise<FuzzTally> {
  const tally = newTally();
  const model = { params: { id: randomUUID() }, query: [], body: undefined };
  await fuzz({ app: ta.app, probe }, route!, [{ label: 'sabotage', model, caller: coordinator }], tally);
  return tally;
}

/** Runs `fn` while every recorded refusal also runs `effect` (with the owner's rights) in its transaction. */
async function withRefusalsThat<T>(effect: string, fn: () => Promise<T>): Promise<T> {
  await asOwner(ta.db, async (db) => {
    await sql`create function sabotage_for_test() returns trigger language plpgsql security definer
      as ${sql.lit(`begin ${effect}; return null; end`)}`.execute(db);
    await sql`create trigger sabotage after insert on audit_events for each row
      when (new.outcome = 'denied') execute function sabotage_for_test()`.execute(db);
  });
  try {
    return await fn();
  } finally {
    await asOwner(ta.db, async (db) => {
      await sql`drop trigger sabotage on audit_events`.execute(db);
      await sql`drop function sabotage_for_test()`.execute(db);
    });
  }
}

const failures = (tally: FuzzTally) => [...tally.failures.keys()].map((k) => k.replace(/^.*\]: /, ''));

t.test('a refusal that records only itself passes', async (t) => {
  const tally = await refusedRequest();
  t.same([...tally.statuses.keys()], [404], 'refused');
  t.same(failures(tally), [], 'nothing reported');
});

t.test('a refusal that changes a table is caught', async (t) => {
  const tally = await withRefusalsThat(
    'update tenants set name = name where clsm_id = new.clsm_id',
    refusedRequest,
  );
  t.same([...tally.statuses.keys()], [404], 'refused');
  t.same(failures(tally), ['a refused request changed public.tenants'], 'reported');
});

t.test('a refusal that deletes an older row is caught', async (t) => {
  const tally = await withRefusalsThat(
    'delete from charter_acceptances where clsm_id = new.clsm_id',
    refusedRequest,
  );
  t.same(failures(tally), ['a refused request changed public.charter_acceptances'], 'reported');
});

t.test('a refusal that records a success beside its refusal is caught', async (t) => {
  const tally = await withRefusalsThat(
    `insert into audit_events (clsm_id, seq, at, type, outcome, prev_hash, hash)
     values (new.clsm_id, 1, now(), 'case.referred', 'success', new.hash, new.hash)`,
    refusedRequest,
  );
  t.same(failures(tally), ['a refused request added audit events case.referred/success'], 'reported');
});

t.test(
  'a write that is rolled back leaves nothing; one that commits, in any transaction, is seen',
  async (t) => {
    const before = await probe.snapshot();
    await ta.ctx.db
      .transaction()
      .execute(async (tx) => {
        await sql`update tenants set name = name`.execute(tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const rolledBack = await probe.since(before);
    t.same(rolledBack.change, { tables: [], events: [] }, 'rolled back: no change');
    await asOwner(ta.db, (db) => sql`update tenants set name = name`.execute(db));
    const committed = await probe.since(rolledBack.now);
    t.same(committed.change.tables, ['public.tenants'], 'committed by another session: seen');
  },
);
