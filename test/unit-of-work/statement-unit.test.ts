import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { withAuditRefused } from '../helpers/audit-refused.js';
import type { Caller } from '../../src/access/authorize.js';
import { by } from '../../src/kernel/audit-events.js';
import { withCaseStatement } from '../../src/unit-of-work/case-unit.js';
import { randomUUID } from 'node:crypto';

// A unit of one statement on a situation runs without a transaction (docs/adr/0037): a read's
// events are appended after its work, each committed before it answers and sealed by the
// process's sealer (docs/adr/0039); an entry is written in one statement with its event. What
// must not change: nothing is answered or stored without its record, and a work that fails
// leaves no event.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const url = await listen(ta.app);
const worker = await addMember(ta, coordinator, 'social_worker');
const sdk = sdkFor(url, worker);
const { id: caseId } = await sdk.cases.refer('dettes', 'routine');
await sdk.cases.write(caseId, 'synthesis', new TextEncoder().encode('synthèse lue sous contrôle'));
const caller: Caller = {
  clsmId: worker.clsmId,
  memberId: worker.id,
  role: worker.role,
  requestId: 'read-unit-test',
  charterAccepted: true,
};

const chain = async () => {
  await eventsSealed(ta.ctx.db);
  return ta.ctx.db
    .selectFrom('audit_events')
    .select(['seq', 'type', 'hash'])
    .where('clsm_id', '=', worker.clsmId)
    .orderBy('seq')
    .execute();
};
/** Events committed but not yet sealed (readable by the schema's owner only). */
const pending = () =>
  asOwner(ta.db, async (db) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_pending`.execute(db);
    return rows[0]?.n;
  });

t.test('the events of a read are committed when it returns, then sealed in order', async (t) => {
  const before = await chain();
  const seen = await withCaseStatement(ta.ctx, caller, { caseId, action: 'case.read' }, async (db, scope) => {
    scope.audit({ ...by(caller), type: 'case.read', outcome: 'success', caseId });
    scope.audit({ ...by(caller), type: 'consent.read', outcome: 'success', caseId });
    return (await db.selectFrom('audit_events').select('seq').where('clsm_id', '=', caller.clsmId).execute())
      .length;
  });
  t.equal(seen, before.length, 'no event was in the chain while the work ran');
  const added = (await chain()).slice(before.length);
  t.same(
    added.map((e) => e.type),
    ['case.read', 'consent.read'],
    'both events follow, in the order handed over',
  );
  t.ok(
    added.every((e) => e.hash.length === 32),
    'each is sealed: it has its hash',
  );
  t.equal(await pending(), 0, 'nothing is left waiting to be sealed');
});

t.test('a read that throws leaves no event', async (t) => {
  const before = await chain();
  await t.rejects(
    withCaseStatement(ta.ctx, caller, { caseId, action: 'case.read' }, (_db, scope) => {
      scope.audit({ ...by(caller), type: 'case.read', outcome: 'success', caseId });
      return Promise.reject(new Error('the read fails after handing over its event'));
    }),
    /the read fails/,
  );
  t.same(await chain(), before, 'the chain is as it was');
});

const READS = [
  { route: 'compartments/synthesis/entries', event: 'compartment.read' },
  { route: 'log', event: 'case.read' },
  { route: 'consent', event: 'consent.read' },
  { route: 'exceptions', event: 'exception.read' },
];

t.test('no read is answered without its record', async (t) => {
  const stored = await ta.ctx.db
    .selectFrom('entries')
    .select('ciphertext')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  const ciphertext = stored.ciphertext.toString('base64');
  for (const { route, event } of READS) {
    const target = `/v1/cases/${caseId}/${route}`;
    const path = `GET …/${route}`;
    const before = await chain();
    const refused = await withAuditRefused(ta.db, () =>
      ta.app.inject({ method: 'GET', url: target, headers: worker.headers }),
    );
    t.ok(
      refused.statusCode >= 500,
      `${path}: with its record refused, the read fails (${refused.statusCode})`,
    );
    t.notOk(refused.body.includes(ciphertext), `${path}: and answers no content`);
    t.same(await chain(), before, `${path}: the chain is as it was`);

    const answered = await ta.app.inject({ method: 'GET', url: target, headers: worker.headers });
    t.equal(answered.statusCode, 200, `${path}: with its record accepted, the read is answered`);
    t.same(
      (await chain()).slice(before.length).map((e) => e.type),
      [event],
      `${path}: and its event is in the chain`,
    );
  }
  t.equal(await pending(), 0, 'nothing is left waiting to be sealed');
});

t.test('a page and its record are one statement: every page is recorded, the empty one too', async (t) => {
  const before = await chain();
  const pages: number[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const query: string = cursor === '' ? 'limit=1' : `limit=1&cursor=${encodeURIComponent(cursor)}`;
    const res = await ta.app.inject({
      method: 'GET',
      url: `/v1/cases/${caseId}/compartments/synthesis/entries?${query}`,
      headers: worker.headers,
    });
    t.equal(res.statusCode, 200, `page ${pages.length + 1} is answered`);
    const page: { entries: unknown[]; nextCursor: string | null } = res.json();
    pages.push(page.entries.length);
    cursor = page.nextCursor;
  }
  const empty = await ta.app.inject({
    method: 'GET',
    url: `/v1/cases/${caseId}/compartments/social/entries`,
    headers: worker.headers,
  });
  t.equal(empty.statusCode, 200, 'a compartment without entries is answered');
  t.same(empty.json<{ entries: unknown[] }>().entries, [], 'with an empty page');
  t.ok(
    pages.length >= 1 && pages.every((n) => n === 1),
    `each page of the first holds one entry (${pages.length})`,
  );
  const added = (await chain()).slice(before.length);
  t.same(
    added.map((e) => e.type),
    [...pages.map(() => 'compartment.read'), 'compartment.read'],
    'each page, the empty one included, left one event, in the chain in order',
  );
  t.equal(await pending(), 0, 'nothing is left waiting to be sealed');
});

const entriesOf = async (id: string) =>
  (
    await ta.ctx.db
      .selectFrom('entries')
      .select('id')
      .where('clsm_id', '=', worker.clsmId)
      .where('id', '=', id)
      .execute()
  ).length;
const post = (body: object) =>
  ta.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/compartments/synthesis/entries`,
    headers: worker.headers,
    payload: body,
  });

t.test('an entry and its event are stored together, or neither', async (t) => {
  const body = await sdk.cases.seal(caseId, 'synthesis', new TextEncoder().encode('note'), 'note', null);
  const before = await chain();
  const refused = await withAuditRefused(ta.db, () => post(body));
  t.ok(refused.statusCode >= 500, `with its record refused, the write fails (${refused.statusCode})`);
  t.equal(await entriesOf(body.id), 0, 'and the entry is not stored');
  t.same(await chain(), before, 'the chain is as it was');

  const stored = await post(body);
  t.equal(stored.statusCode, 201, 'with its record accepted, the entry is stored');
  t.equal(await entriesOf(body.id), 1, 'once');
  const added = (await chain()).slice(before.length);
  t.same(
    added.map((e) => e.type),
    ['entry.written'],
    'and its event is in the chain',
  );
  const { createdAt } = stored.json<{ createdAt: string }>();
  const row = await ta.ctx.db
    .selectFrom('entries')
    .select('created_at')
    .where('clsm_id', '=', worker.clsmId)
    .where('id', '=', body.id)
    .executeTakeFirstOrThrow();
  t.equal(createdAt, row.created_at.toISOString(), 'the answer gives the time the entry was stored with');
});

t.test('a second entry of the same id is refused, and leaves no event', async (t) => {
  const body = await sdk.cases.seal(caseId, 'synthesis', new TextEncoder().encode('note'), 'note', null);
  t.equal((await post(body)).statusCode, 201, 'the first is stored');
  const before = await chain();
  const again = await post(body);
  t.equal(again.statusCode, 409, 'the same entry again is refused');
  t.equal(again.json<{ code: string }>().code, 'CONFLICT', 'as a conflict');
  t.equal(await entriesOf(body.id), 1, 'one entry of that id is stored');
  t.notOk(
    (await chain()).slice(before.length).some((e) => e.type === 'entry.written'),
    'and no second entry.written event',
  );
  const other = await post({ ...body, id: randomUUID() });
  t.equal(other.statusCode, 400, 'another id under the same signature is refused');
});
