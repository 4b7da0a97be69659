import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { listen, newClsm, sdkFor } from '../helpers/members.js';
import type { Caller } from '../../src/access/authorize.js';
import { AuditedRefusal } from '../../src/kernel/refusal.js';
import { by } from '../../src/kernel/audit-events.js';
import { withCase } from '../../src/unit-of-work/case-unit.js';

// A unit of work appends its audit events after its work returns, in its transaction: they come
// last in the chain, and a work that throws leaves neither its writes nor its events.

const ta = await startTestApp(t);
const { clsmId, coordinator } = await newClsm(ta);
const caller: Caller = {
  clsmId,
  memberId: coordinator.id,
  role: coordinator.role,
  requestId: 'unit-of-work-test',
  charterAccepted: true,
};
const { id: caseId } = await sdkFor(await listen(ta.app), coordinator).cases.refer('incurie', 'routine');

const chain = async () => {
  await eventsSealed(ta.ctx.db);
  return ta.ctx.db
    .selectFrom('audit_events')
    .select(['seq', 'type', 'case_id'])
    .where('clsm_id', '=', clsmId)
    .orderBy('seq')
    .execute();
};
const urgencyOf = async () =>
  (
    await ta.ctx.db
      .selectFrom('cases')
      .select('urgency')
      .where('clsm_id', '=', clsmId)
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
  ).urgency;

t.test('the events are buffered during the work and appended after it, in order', async (t) => {
  const before = await chain();
  const seen = await withCase(ta.ctx, caller, { caseId, action: 'case.read' }, async (trx, scope) => {
    scope.audit({ ...by(caller), type: 'case.read', outcome: 'success', caseId });
    scope.audit({ ...by(caller), type: 'consent.read', outcome: 'success', caseId });
    // Written after the events were handed over, and still nothing in the chain.
    await trx
      .updateTable('cases')
      .set({ urgency: 'urgent' })
      .where('clsm_id', '=', clsmId)
      .where('id', '=', caseId)
      .execute();
    return trx.selectFrom('audit_events').select('seq').where('clsm_id', '=', clsmId).execute();
  });
  t.equal(seen.length, before.length, 'no event was in the chain while the work ran');
  const after = await chain();
  t.same(
    after.slice(before.length).map((e) => e.type),
    ['case.read', 'consent.read'],
    'the two events follow, in the order handed over',
  );
  t.equal(await urgencyOf(), 'urgent', 'and the work committed with them');
});

t.test('a work that throws leaves no event and no write', async (t) => {
  const before = await chain();
  await t.rejects(
    withCase(ta.ctx, caller, { caseId, action: 'case.read' }, async (trx, scope) => {
      scope.audit({ ...by(caller), type: 'case.read', outcome: 'success', caseId });
      await trx
        .updateTable('cases')
        .set({ urgency: 'routine' })
        .where('clsm_id', '=', clsmId)
        .where('id', '=', caseId)
        .execute();
      throw new Error('the work fails after its write');
    }),
    /the work fails/,
  );
  t.same(await chain(), before, 'the chain is as it was');
  t.equal(await urgencyOf(), 'urgent', 'the write rolled back');
});

t.test('an unknown situation is refused before the work runs, with its refusal event', async (t) => {
  let ran = false;
  const unknown = '00000000-0000-4000-8000-000000000001';
  const refusal = await withCase(ta.ctx, caller, { caseId: unknown, action: 'case.read' }, async () => {
    ran = true;
  }).catch((err: unknown) => err);
  t.ok(refusal instanceof AuditedRefusal, 'an audited refusal');
  t.match(refusal, { code: 'NOT_FOUND', event: { action: 'case.read', resourceId: unknown } });
  t.notOk(ran, 'the work never ran');
});

t.test('the action is one of the gate', async (t) => {
  // Compile-time: an action the Cedar schema does not know is not a request.
  const unused = () =>
    // @ts-expect-error 'key.rotate' is in none of the action unions
    withCase(ta.ctx, caller, { caseId, action: 'key.rotate' }, async () => undefined);
  t.type(unused, 'function');
});
