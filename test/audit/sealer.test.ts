import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { openEmbedded, openPostgres } from '../../src/db/database.js';
import { openPglite } from '../../src/db/pools.js';
import { eventsSealed, sealLeftEvents } from '../../src/db/seal-after-commit.js';

// Events reach the chain through `audit_seal` only (docs/adr/0032): an action's transaction writes
// them into `audit_pending`, and the process's sealer seals them once it has committed
// (docs/adr/0039). An event whose process could not (it stopped between the two) waits, committed,
// for the API's sealing job, the checkpoint or the next opening of the database.

const ta = await startTestApp(t);
const { app, ctx } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const dpo = await addMember(ta, coordinator, 'dpo');

const chain = async () => {
  await eventsSealed(ctx.db);
  return (
    await ctx.db
      .selectFrom('audit_events')
      .select(['seq', 'type', 'resource_id'])
      .where('clsm_id', '=', clsmId)
      .orderBy('seq')
      .execute()
  ).map((e) => ({ ...e, resource_id: e.resource_id ?? '' }));
};

/** An event committed by an action whose process stopped before sealing it (raw SQL: not sealed). */
const leftUnsealed = (marker: string) =>
  sql`insert into audit_pending (clsm_id, type, outcome, resource_type, resource_id)
      values (${clsmId}, 'auth.logout', 'success', 'test', ${marker})`.execute(ctx.db);

const verify = async () =>
  (await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: dpo.headers })).json<{
    ok: boolean;
  }>();

t.test('an event left unsealed waits for the sealing job, which chains it', async (t) => {
  await leftUnsealed('left-before-a-request');
  const before = await chain();
  t.notOk(
    before.some((e) => e.resource_id === 'left-before-a-request'),
    'committed, not in the chain',
  );
  t.equal((await verify()).ok, true, 'another request is answered, its own event handed to the sealer');
  t.notOk(
    (await chain()).some((e) => e.resource_id === 'left-before-a-request'),
    'the sealer seals only the events handed to it',
  );
  await sealLeftEvents(ctx.db);
  const sealed = await chain();
  t.equal(sealed.at(-1)?.resource_id, 'left-before-a-request', 'the job chains it');
  t.equal((await verify()).ok, true, 'and the chain verifies with it');
});

t.test('the checkpoint seals what was left before it signs', async (t) => {
  await leftUnsealed('left-before-a-checkpoint');
  const signed = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: dpo.headers });
  t.equal(signed.statusCode, 201);
  const left = (await chain()).find((e) => e.resource_id === 'left-before-a-checkpoint');
  t.ok(left !== undefined, 'sealed');
  t.ok(signed.json<{ seq: number }>().seq >= (left?.seq ?? Infinity), 'and vouched for by the checkpoint');
});

t.test('the application role adds pending events and reads nothing of them but their key', async (t) => {
  await t.rejects(sql`select type from audit_pending`.execute(ctx.db), /permission denied/, 'read');
  await t.rejects(sql`select clsm_id from audit_pending`.execute(ctx.db), /permission denied/, 'their CLSM');
  await t.rejects(sql`update audit_pending set type = 'auth.login'`.execute(ctx.db), /permission denied/);
  await t.rejects(sql`delete from audit_pending`.execute(ctx.db), /permission denied/, 'delete');
  await t.rejects(sql`truncate audit_pending`.execute(ctx.db), /permission denied/, 'truncate');
  await t.rejects(
    sql`update audit_events set type = 'auth.login' where clsm_id = ${clsmId}`.execute(ctx.db),
    /permission denied|append-only/,
    'nor the chain',
  );
});

// Both sealings: `audit_seal` (a CLSM's, the checkpoint's and the job's) and `audit_seal_many` (the
// process's sealer's).
const sealings = {
  audit_seal: () => sql`audit_seal(${clsmId})`,
  audit_seal_many: () => sql`audit_seal_many(array(select id from audit_pending)::bigint[])`,
};
for (const [name, call] of Object.entries(sealings))
  t.test(`${name}: alone it waits for no WAL flush; after a write, the commit stays durable`, async (t) => {
    // A session that waits for every flush (test databases do not), sealing alone.
    const alone = await ctx.db.connection().execute(async (conn) => {
      await sql`set synchronous_commit = on`.execute(conn);
      try {
        return await sql<{ sc: string }>`
          select ${call()}, current_setting('synchronous_commit') as sc`.execute(conn);
      } finally {
        await sql`reset synchronous_commit`.execute(conn);
      }
    });
    t.equal(alone.rows[0]?.sc, 'off', 'its own transaction: lost in a crash, sealed again at the start');
    const inside = await ctx.db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = on`.execute(trx);
      await sql`insert into audit_pending (clsm_id, type, outcome)
                values (${clsmId}, 'auth.logout', 'success')`.execute(trx);
      return sql<{ sc: string }>`
        select ${call()}, current_setting('synchronous_commit') as sc`.execute(trx);
    });
    t.equal(inside.rows[0]?.sc, 'on', 'after a write of its transaction: that commit stays durable');
  });

t.test('opening the database seals what a stopped process left', async (t) => {
  await leftUnsealed('left-at-a-stop');
  const sealedOnOpen = async () => {
    if (ta.db.urls !== undefined) {
      const { app: appUrl, stats } = ta.db.urls;
      const reopened = await openPostgres({ appUrl, statsUrl: stats, migrateUrl: undefined, poolSize: 1 });
      await reopened.close();
      return chain();
    }
    // The embedded database belongs to one process at a time: this one lets go first.
    await app.close();
    await ta.db.dbs.close();
    const reopened = await openEmbedded(await openPglite(ta.db.dataDir ?? ''), { migrate: false });
    try {
      return await reopened.db
        .selectFrom('audit_events')
        .select(['seq', 'type', 'resource_id'])
        .where('clsm_id', '=', clsmId)
        .orderBy('seq')
        .execute();
    } finally {
      await reopened.close();
    }
  };
  const events = await sealedOnOpen();
  t.equal(events.at(-1)?.resource_id, 'left-at-a-stop', 'sealed before anything is served');
});
