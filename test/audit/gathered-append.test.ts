import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { withAuditRefused } from '../helpers/audit-refused.js';
import { appendGathered } from '../../src/audit/append-gathered.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import type { AuditEvent } from '../../src/kernel/audit-events.js';
import type { Database } from '../../src/db/schema.js';

// The events of units of one statement (the reads) are appended together: while one insert runs,
// those of the units finishing meanwhile wait for the next (docs/adr/0040). What must hold: each
// unit answered only once its own events have committed, in its order; one unit's bad event fails
// that unit alone.

const ta = await startTestApp(t);
const { ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');

/** The events of these requests, committed (pending or chained), in one snapshot. */
const committed = (requestIds: string[]) =>
  asOwner(ta.db, async (o: Kysely<any>) => {
    const { rows } = await sql<{ n: number }>`
      select ((select count(*) from audit_pending where request_id = any(${requestIds}))
            + (select count(*) from audit_events where request_id = any(${requestIds})))::int as n`.execute(
      o,
    );
    return rows[0]?.n ?? -1;
  });

/** The database, counting the statements run through it. */
function counted(db: Kysely<Database>): { db: Kysely<Database>; statements: () => number } {
  let statements = 0;
  const proxy = new Proxy(db, {
    get: (target, key) =>
      key === 'executeQuery'
        ? (query: CompiledQuery) => {
            statements += 1;
            return target.executeQuery(query);
          }
        : (Reflect.get(target, key, target) as unknown),
  });
  return { db: proxy, statements: () => statements };
}

const event = (requestId: string, type: AuditEvent['type'] = 'auth.logout'): AuditEvent => ({
  clsmId,
  type,
  outcome: 'success',
  requestId,
});

t.test('units finishing together share one insert, each answered once its events committed', async (t) => {
  const { db, statements } = counted(ctx.db);
  const units = Array.from({ length: 10 }, () => randomUUID());
  // Each unit two events, whose order must hold in the chain.
  const done = await Promise.all(
    units.map(async (id) => {
      await appendGathered(db, [event(id, 'auth.logout'), event(id, 'auth.login')]);
      return committed([id]);
    }),
  );
  t.same(
    done,
    units.map(() => 2),
    'each unit found its two events committed when it was answered',
  );
  t.equal(statements(), 2, 'the first alone, the nine that came meanwhile in one statement');
  await eventsSealed(ctx.db);
  const order = await asOwner(ta.db, async (o: Kysely<any>) => {
    const { rows } = await sql<{ request_id: string; type: string }>`
      select request_id, type from audit_events where request_id = any(${units}) order by seq`.execute(o);
    return rows;
  });
  for (const id of units) {
    const types = order.filter((r) => r.request_id === id).map((r) => r.type);
    t.same(types, ['auth.logout', 'auth.login'], `unit ${id.slice(0, 8)}: its events chained in its order`);
  }
});

t.test("one unit's event the database refuses fails that unit alone", async (t) => {
  const good = Array.from({ length: 6 }, () => randomUUID());
  const bad = randomUUID();
  const refused = { ...event(bad), outcome: 'unheard-of' } as unknown as AuditEvent;
  const outcomes = await Promise.allSettled([
    appendGathered(ctx.db, [event(randomUUID())]),
    ...good.slice(0, 3).map((id) => appendGathered(ctx.db, [event(id)])),
    appendGathered(ctx.db, [refused]),
    ...good.slice(3).map((id) => appendGathered(ctx.db, [event(id)])),
  ]);
  t.same(
    outcomes.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
    'only the unit with the refused event fails',
  );
  t.equal(await committed(good), 6, "the other units' events committed");
  t.equal(await committed([bad]), 0, 'the refused event is nowhere');
});

t.test('concurrent reads of a compartment: each answered read has its event committed', async (t) => {
  const sdk = sdkFor(await listen(ta.app), nurse);
  const { id: caseId } = await sdk.cases.refer('rupture_soins', 'routine');
  await sdk.cases.write(caseId, 'health', Buffer.from('une entrée'));
  // Each read's event is looked for as soon as that read is answered, not once all are (one look
  // at a time: the embedded database has one session, which the owner's look switches to its role).
  let looks = Promise.resolve();
  const lookAt = (requestId: string) => {
    const look = looks.then(() => committed([requestId]));
    looks = look.then(() => undefined);
    return look;
  };
  const reads = await Promise.all(
    Array.from({ length: 12 }, async () => {
      const answer = await ta.app.inject({
        method: 'GET',
        url: `/v1/cases/${caseId}/compartments/health/entries`,
        headers: nurse.headers,
      });
      return { status: answer.statusCode, events: await lookAt(String(answer.headers['x-request-id'])) };
    }),
  );
  t.same(
    reads,
    reads.map(() => ({ status: 200, events: 1 })),
    'twelve reads, each with its event committed when it was answered',
  );
  // The reader who would read unrecorded: with every event's insert refused, as the schema's owner
  // could, none of twelve concurrent reads is answered with content (fails if a read is answered
  // before its gathered insert has committed).
  const page = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${caseId}/compartments/health/entries`,
    headers: nurse.headers,
  });
  const content = page.json<{ entries: { ciphertext: string }[] }>().entries[0]?.ciphertext ?? 'none';
  t.not(content, 'none', 'the entry is there to be read');
  const refused = await withAuditRefused(ta.db, () =>
    Promise.all(
      Array.from({ length: 12 }, () =>
        ta.app.inject({
          method: 'GET',
          url: `/v1/cases/${caseId}/compartments/health/entries`,
          headers: nurse.headers,
        }),
      ),
    ),
  );
  t.same(
    refused.map((a) => a.statusCode >= 500 && !a.body.includes(content)),
    refused.map(() => true),
    'with their records refused, all twelve fail and answer no content',
  );
});
