import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// The CLSM's name and the operator's settings, read-only: each member reads their own CLSM's, never
// another's; a member bound by a charte they have not accepted is refused, and the refusal audited.

const ta = await startTestApp(t, { env: { RETENTION_DAYS: '400', EXCEPTION_DEFAULT_HOURS: '36' } });
const { app, ctx } = ta;
const mine = await newClsm(ta, 'CLSM de Ville-sur-Test');
const other = await newClsm(ta, 'CLSM voisin');
const get = (headers?: { authorization: string }) =>
  app.inject({ method: 'GET', url: '/v1/clsm', ...(headers === undefined ? {} : { headers }) });

t.test("each member reads their own CLSM's name and settings", async (t) => {
  const nurse = await addMember(ta, mine.coordinator, 'health_professional');
  const res = await get(nurse.headers);
  t.equal(res.statusCode, 200);
  t.same(
    { ...res.json(), createdAt: undefined },
    {
      id: mine.clsmId,
      name: 'CLSM de Ville-sur-Test',
      createdAt: undefined,
      retentionDays: 400,
      exceptionDefaultHours: 36,
      statistics: ctx.config.statistics,
    },
  );
  t.match(res.json(), { createdAt: /^\d{4}-\d\d-\d\dT/ });
  t.match((await get(other.coordinator.headers)).json(), { id: other.clsmId, name: 'CLSM voisin' });
});

t.test(
  'without a token, or before the charte, the settings are refused and the refusal audited',
  async (t) => {
    t.equal((await get()).statusCode, 401);
    const newcomer = await addMember(ta, mine.coordinator, 'social_worker', { acceptCharter: false });
    const refused = await get(newcomer.headers);
    t.equal(refused.statusCode, 403);
    t.equal(refused.json().code, 'CHARTER_NOT_ACCEPTED');
    await eventsSealed(ctx.db);
    const denied = await ctx.db
      .selectFrom('audit_events')
      .select(['actor_id', 'action', 'reason'])
      .where('clsm_id', '=', mine.clsmId)
      .where('type', '=', 'access.denied')
      .where('actor_id', '=', newcomer.id)
      .execute();
    t.match(denied, [{ action: 'clsm.read', reason: 'CHARTER_NOT_ACCEPTED' }]);
  },
);
