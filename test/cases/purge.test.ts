import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { purgeExpired } from '../../src/cases/purge.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// End of retention: the case is crypto-shredded. No ciphertext and no wrapped key of it remain;
// its participants learn it is gone (410); everyone else still cannot tell it existed; the audit
// chain keeps its tombstone and still verifies.

t.test('purge at the end of retention', async (t) => {
  const ta = await startTestApp(t);
  const { app, ctx, clock } = ta;
  const { clsmId, coordinator } = await newClsm(ta);
  const nurse = await addMember(ta, coordinator, 'health_professional');
  const outsider = await addMember(ta, coordinator, 'social_worker');
  const url = await listen(app);
  const [coord, sdk] = [sdkFor(url, coordinator), sdkFor(url, nurse)];
  const { id } = await sdk.cases.refer('incurie', 'routine');
  const kept = await sdk.cases.refer('isolement', 'routine');
  for (const c of ['identity', 'synthesis', 'health'] as const)
    await sdk.cases.write(id, c, new TextEncoder().encode(`contenu ${c}`));
  await sdk.cases.write(kept.id, 'synthesis', new TextEncoder().encode('toujours suivi'));
  await coord.cases.transition(id, 'accept');
  await coord.cases.transition(id, 'close', 'resolue');
  const retention = (await sdk.cases.view(id)).retentionUntil as string;
  t.ok(
    new Date(retention).getTime() - clock.now().getTime() > 729 * 86_400_000,
    'kept two years after closure',
  );

  t.same(await purgeExpired(ctx.db, clock.now()), [], 'nothing is due yet');
  clock.advance(731 * 86_400_000);
  const purged = await purgeExpired(ctx.db, clock.now());
  t.same(
    purged.map((p) => p.caseId),
    [id],
  );

  const count = async (table: 'entries' | 'key_grants', caseId: string) =>
    (
      await ctx.db
        .selectFrom(table)
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).n;
  t.equal(await count('entries', id), 0, 'no ciphertext left');
  t.equal(await count('key_grants', id), 0, 'no wrapped key left');
  t.equal(await count('entries', kept.id), 1, 'other cases untouched');

  const asParticipant = await app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: nurse.headers });
  t.equal(asParticipant.statusCode, 410);
  t.equal(asParticipant.json().code, 'CASE_PURGED');
  const asOutsider = await app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: outsider.headers });
  t.equal(asOutsider.statusCode, 404);
  const listed = (await sdk.cases.list()).cases.map((c) => c.id);
  t.notOk(listed.includes(id), 'a purged case is no longer listed');

  await eventsSealed(ctx.db);
  const tombstone = await ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('case_id', '=', id)
    .where('type', '=', 'case.purged')
    .executeTakeFirstOrThrow();
  t.match(tombstone, { actor_id: null, reason: 'RETENTION_ENDED' });
  t.match(await verifyClsm(ctx.db, clsmId), { ok: true }, 'the chain still verifies');
  t.same(await purgeExpired(ctx.db, clock.now()), [], 'purging twice does nothing');
});
