import t from 'tap';
import { sql, type Kysely } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { openPostgres } from '../../src/db/database.js';
import { eventsSealed, sealLeftEvents } from '../../src/db/seal-after-commit.js';
import { appendAudit } from '../../src/audit/append.js';

// An action is answered once its events have committed with it; the process's sealer chains them
// a few milliseconds later, the events of every action committed meanwhile at once
// (docs/adr/0039). What must hold: no answer without its events committed, every committed event
// chained without anyone asking, none lost when a sealing fails or the database is closed.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const dpo = await addMember(ta, coordinator, 'dpo');

/** The events of these requests, committed (pending or chained) and chained, in one snapshot. */
const eventsOf = (requestIds: string[]) =>
  asOwner(ta.db, async (o: Kysely<any>) => {
    const { rows } = await sql<{ pending: number; chained: number }>`
      select (select count(*)::int from audit_pending where request_id = any(${requestIds})) as pending,
             (select count(*)::int from audit_events where request_id = any(${requestIds})) as chained`.execute(
      o,
    );
    return rows[0] ?? { pending: -1, chained: -1 };
  });

const verify = async () => {
  const answer = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: dpo.headers });
  return { ok: answer.json<{ ok: boolean }>().ok, requestId: String(answer.headers['x-request-id']) };
};

t.test('every answered action has its events committed, and the sealer chains them unasked', async (t) => {
  const answers = await Promise.all(Array.from({ length: 20 }, verify));
  const ids = answers.map((a) => a.requestId);
  t.ok(
    answers.every((a) => a.ok),
    'twenty requests answered',
  );
  const atAnswer = await eventsOf(ids);
  t.equal(atAnswer.pending + atAnswer.chained, 20, 'each one event, committed before its answer');
  let now = atAnswer;
  for (let i = 0; i < 100 && now.chained < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await eventsOf(ids);
  }
  t.same(now, { pending: 0, chained: 20 }, 'all chained by the sealer, no one else sealing');
  t.equal((await verify()).ok, true, 'and the chain verifies');
});

t.test('a reader waits for the events answered before it, not for those of the load after it', async (t) => {
  let writing = true;
  const load = Promise.all(
    Array.from({ length: 16 }, async () => {
      while (writing) {
        await appendAudit(ctx.db, { clsmId, type: 'auth.logout', outcome: 'success' });
        // The embedded database answers without leaving the event loop: let timers run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { requestId } = await verify();
    const waited = await Promise.race([
      eventsSealed(ctx.db).then(() => 'sealed'),
      new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting after 10 s')),
    ]);
    t.equal(waited, 'sealed', 'the wait ends while the load goes on');
    t.equal((await eventsOf([requestId])).chained, 1, "and the reader's event is chained");
  } finally {
    writing = false;
    await load;
  }
});

t.test('a sealing that fails loses nothing: the events wait, committed, for the next', async (t) => {
  await asOwner(ta.db, async (o) => {
    await sql`create function refuse_chain_for_test() returns trigger language plpgsql
      as $$ begin raise exception 'chain refused'; end $$`.execute(o);
    await sql`create trigger refuse_chain before insert on audit_events
      for each row execute function refuse_chain_for_test()`.execute(o);
  });
  let requestId = '';
  try {
    const answer = await verify();
    requestId = answer.requestId;
    t.equal(answer.ok, true, 'the action is answered');
    await eventsSealed(ctx.db);
    t.same(await eventsOf([requestId]), { pending: 1, chained: 0 }, 'its sealing failed; the event is kept');
  } finally {
    await asOwner(ta.db, async (o) => {
      await sql`drop trigger refuse_chain on audit_events`.execute(o);
      await sql`drop function refuse_chain_for_test()`.execute(o);
    });
  }
  await sealLeftEvents(ctx.db);
  t.same(await eventsOf([requestId]), { pending: 0, chained: 1 }, 'the next sealing chains it');
  t.equal((await verify()).ok, true, 'and the chain verifies with it');
});

t.test(
  'closing the database waits for the sealing of what it committed',
  { skip: ta.db.urls === undefined && 'the embedded database is held by the test app' },
  async (t) => {
    const urls = ta.db.urls;
    if (urls === undefined) return;
    const other = await openPostgres({
      appUrl: urls.app,
      statsUrl: urls.stats,
      migrateUrl: undefined,
      poolSize: 2,
    });
    const requestId = 'closed-right-after';
    await appendAudit(other.db, { clsmId, type: 'auth.logout', outcome: 'success', requestId });
    await other.close();
    t.same(await eventsOf([requestId]), { pending: 0, chained: 1 }, 'chained before the pool ended');
  },
);

t.test('only a database opened by kyselyOver has a sealer to wait for', async (t) => {
  await t.rejects(eventsSealed(ctx.db.withoutPlugins()), /not a database opened by kyselyOver/);
});
