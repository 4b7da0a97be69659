import t from 'tap';
import { referral } from '../helpers/case-log.js';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { asOwner } from '../helpers/owner.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// The DPO's two errands in the web app, through the SDK over HTTP: find a situation's access report
// by the reference the person gives, and check the audit log against an exported checkpoint file
// (signatures checked on the device, the chain on the server).

const ta = await startTestApp(t);
const { app } = ta;
const url = await listen(app);
const { coordinator } = await newClsm(ta);
const dpo = await addMember(ta, coordinator, 'dpo');
const nurse = await addMember(ta, coordinator, 'health_professional');
const other = await newClsm(ta, 'Un autre CLSM');

const referred = await app.inject({
  method: 'POST',
  url: '/v1/cases',
  headers: nurse.headers,
  payload: { ...(await referral(nurse)), reasonCategory: 'incurie', urgency: 'routine' },
});
const situation = referred.json<{ id: string; reference: string }>();

t.test(
  'the DPO finds a situation by its reference; others, and unknown references, are not found',
  async (t) => {
    const found = await sdkFor(url, dpo).cases.findByReference(situation.reference);
    t.same(found, situation, 'the id, and nothing of the content');
    const report = await sdkFor(url, dpo).cases.accessReport(found.id);
    t.equal(report.reference, situation.reference);
    const ask = (who: { headers: Record<string, string> }, reference: string) =>
      app.inject({ method: 'GET', url: `/v1/cases/by-reference/${reference}`, headers: who.headers });
    const unknown = await ask(dpo, '1999-0001');
    t.equal(unknown.statusCode, 404);
    const participant = await ask(nurse, situation.reference);
    t.equal(participant.statusCode, 404, 'a role that may not read reports learns nothing of the reference');
    t.same(participant.json().code, unknown.json().code);
    t.equal((await ask(other.coordinator, situation.reference)).statusCode, 404, 'nor another CLSM');
    t.equal((await ask(dpo, 'pas-une-reference')).statusCode, 400);
    await eventsSealed(ta.ctx.db);
    const refused = await ta.ctx.db
      .selectFrom('audit_events')
      .select(['actor_id', 'resource_id'])
      .where('type', '=', 'access.denied')
      .where('action', '=', 'case.access_report')
      .execute();
    t.ok(
      refused.some((e) => e.actor_id === nurse.id && e.resource_id === situation.reference),
      'each refusal is recorded',
    );
  },
);

t.test('an exported checkpoint file: intact, altered, of another CLSM, or rewritten since', async (t) => {
  const client = sdkFor(url, dpo);
  await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: dpo.headers });
  const file = await client.audit.checkpoints();
  t.ok(file.checkpoints.length > 0);
  const text = JSON.stringify(file);
  const intact = await client.audit.verify(text);
  t.equal(intact.kind, 'checked');
  t.ok(intact.kind === 'checked' && intact.verdict.ok, 'intact');

  const last = file.checkpoints.at(-1);
  if (last === undefined) throw new Error('no checkpoint');
  const altered = {
    ...file,
    checkpoints: file.checkpoints.map((c) =>
      c.seq === last.seq ? { ...c, hash: Buffer.alloc(32, 7).toString('base64') } : c,
    ),
  };
  t.same(await client.audit.verify(JSON.stringify(altered)), { kind: 'forged', seq: last.seq });
  t.same(await client.audit.verify('{"not": "a checkpoint file"}'), { kind: 'unreadable' });
  t.same(await client.audit.verify(JSON.stringify({ ...file, checkpoints: [] })), { kind: 'empty' });
  t.same(await client.audit.verify(JSON.stringify({ ...file, tenant: other.clsmId })), {
    kind: 'other-clsm',
  });

  // Whoever owns the schema rewrites an event the file vouches for, and its hash.
  await eventsSealed(ta.ctx.db);
  await asOwner(ta.db, async (owner) => {
    await sql`alter table audit_events disable trigger user`.execute(owner);
    try {
      await sql`update audit_events set hash = ${Buffer.alloc(32, 1)} where clsm_id = ${dpo.clsmId} and seq = ${last.seq}`.execute(
        owner,
      );
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(owner);
    }
  });
  const broken = await client.audit.verify(text);
  t.equal(broken.kind, 'checked');
  if (broken.kind !== 'checked') return;
  t.equal(broken.verdict.ok, false);
  t.equal(broken.verdict.firstBadSeq, last.seq);
  t.equal(broken.verdict.reason, 'modified');
});

t.test('only the DPO verifies', async (t) => {
  const file = await sdkFor(url, dpo).audit.checkpoints();
  const res = await app.inject({
    method: 'POST',
    url: '/v1/audit/verify',
    headers: coordinator.headers,
    payload: file,
  });
  t.equal(res.statusCode, 403);
});
