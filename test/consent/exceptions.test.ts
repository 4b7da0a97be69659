import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { cellule } from '../helpers/cellule.js';
import { expireExceptions } from '../../src/consent/exceptions.js';
import { change } from '../../src/crypto/case-log-statements.js';

// A legal exception ends with the keys it let out, however it ends: by hand, by the job, or by the
// hand of the one who approved it shortening its time box.

const ta = await startTestApp(t);
const { app, ctx, clock } = ta;
const cell = await cellule(ta, {
  nurse: 'health_professional',
  doctor: 'health_professional',
  sw: 'social_worker',
});
const { nurse: nurseSdk, sw: swSdk } = cell.sdk;
const { coordinator, doctor, sw } = cell.members;
const enc = (s: string) => new TextEncoder().encode(s);
const HOUR = 3_600_000;

/** Where the exception's opening sits in the situation's membership log. */
const refOf = async (caseId: string, exceptionId: string) =>
  (await swSdk.consent.exceptions(caseId)).exceptions.find((e) => e.id === exceptionId)?.logSeq ?? null;

/** A situation where an approved exception opened the health compartment to the social worker. */
async function openedToSocialWorker(durationHours = 72) {
  const { id } = await cell.situation({
    by: 'nurse',
    reason: 'menace_expulsion',
    urgency: 'soon',
    accepted: true,
    participants: ['sw', 'doctor'],
    entries: { health: ['Suivi CMP interrompu.'] },
  });
  const justification = await swSdk.cases.write(id, 'synthesis', enc('Danger imminent.'), {
    kind: 'justification',
  });
  const opened = await app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/exceptions`,
    headers: sw.headers,
    payload: {
      basis: 'danger_grave_imminent',
      scope: ['social_worker:health'],
      justificationEntryId: justification,
      durationHours,
      log: await swSdk.caseLogs.seal(
        id,
        change('exception-opened', { scope: ['social_worker:health'], hours: durationHours }),
      ),
    },
  });
  const exceptionId = opened.json().id as string;
  const approved = await app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/exceptions/${exceptionId}/approve`,
    headers: doctor.headers,
    payload: {
      log: await cell.sdk.doctor.caseLogs.seal(
        id,
        change('exception-approved', { ref: await refOf(id, exceptionId) }),
      ),
    },
  });
  if (approved.statusCode !== 204) throw new Error(`approval failed: ${approved.body}`);
  await nurseSdk.cases.shareKeys(id);
  return { id, exceptionId };
}

const swHealthKeys = (caseId: string) =>
  ctx.db
    .selectFrom('key_grants')
    .select('key_version')
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', sw.id)
    .where('compartment', '=', 'health')
    .execute();

t.test(
  'closed by hand after its deadline, before the job: the keys it gave are still taken back',
  async (t) => {
    const start = clock.now();
    t.teardown(() => {
      clock.set(start);
    });
    const { id, exceptionId } = await openedToSocialWorker();
    t.equal((await swSdk.cases.read(id, 'health')).length, 1, 'the exception let the social worker in');
    t.same(await swHealthKeys(id), [{ key_version: 1 }]);

    clock.advance(72 * HOUR + 1000);
    const close = await app.inject({
      method: 'POST',
      url: `/v1/cases/${id}/exceptions/${exceptionId}/close`,
      headers: sw.headers,
      payload: {
        log: await swSdk.caseLogs.seal(id, change('exception-closed', { ref: await refOf(id, exceptionId) })),
      },
    });
    t.equal(close.statusCode, 204, 'closed by hand once expired, the job not run yet');
    t.same(await swHealthKeys(id), [], 'the social worker holds no health key any more');
    await eventsSealed(ctx.db);
    const revoked = await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('case_id', '=', id)
      .where('type', '=', 'grant.revoked')
      .executeTakeFirstOrThrow();
    t.match(revoked, { subject_id: sw.id, compartment: 'health', legal_basis_id: exceptionId });
    t.equal(await expireExceptions(ctx), 0, 'nothing left for the job');

    await nurseSdk.cases.write(id, 'health', enc('Hospitalisation sous contrainte envisagée.'));
    const health = (await nurseSdk.cases.view(id)).compartments.find((c) => c.name === 'health');
    t.equal(health?.keyVersion, 2, 'the next write rotated the key');
    t.same(await swHealthKeys(id), [], 'and the new key was not given to the social worker');
    const later = await app.inject({
      method: 'GET',
      url: `/v1/cases/${id}/compartments/health/entries`,
      headers: sw.headers,
    });
    t.equal(later.statusCode, 403, 'the later entry is out of reach');
    await eventsSealed(ctx.db);
    const denied = await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('case_id', '=', id)
      .where('type', '=', 'access.denied')
      .where('actor_id', '=', sw.id)
      .executeTakeFirstOrThrow();
    t.match(denied, { action: 'compartment.read', compartment: 'health', reason: 'CONSENT_REQUIRED' });
  },
);

t.test('closed by the job after its deadline: the same', async (t) => {
  const start = clock.now();
  t.teardown(() => {
    clock.set(start);
  });
  const { id } = await openedToSocialWorker();
  clock.advance(72 * HOUR + 1000);
  t.equal(await expireExceptions(ctx), 1);
  t.same(await swHealthKeys(id), [], 'the keys it gave are gone');
  const health = (await nurseSdk.cases.view(id)).compartments.find((c) => c.name === 'health');
  t.equal(health?.rotationRequired, true, 'the health compartment must be rotated');
});

t.test('the approver shortens the time box, never lengthens it; no one else touches it', async (t) => {
  const start = clock.now();
  t.teardown(() => {
    clock.set(start);
  });
  const { id, exceptionId } = await openedToSocialWorker(72);
  const ref = await refOf(id, exceptionId);
  // The approver's device signs the new deadline; the others are refused before any statement is read.
  const shorten = async (by: { id: string; headers: { authorization: string } }, hours: number) => {
    const expiresAt = new Date(clock.now().getTime() + hours * HOUR).toISOString();
    const log =
      by.id === doctor.id
        ? await cell.sdk.doctor.caseLogs.seal(id, change('exception-shortened', { ref, until: expiresAt }))
        : undefined;
    return app.inject({
      method: 'POST',
      url: `/v1/cases/${id}/exceptions/${exceptionId}/shorten`,
      headers: by.headers,
      payload: { expiresAt, ...(log === undefined ? {} : { log }) },
    });
  };
  const bySw = await shorten(sw, 1);
  t.equal(bySw.statusCode, 403, 'not the one who asked for it');
  await eventsSealed(ctx.db);
  t.match(
    await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', String(bySw.headers['x-request-id']))
      .executeTakeFirstOrThrow(),
    { type: 'access.denied', action: 'exception.shorten', outcome: 'denied', reason: 'FORBIDDEN' },
    'the refusal is recorded',
  );
  t.equal((await shorten(coordinator, 1)).statusCode, 403, 'nor the coordinator, who did not approve it');
  const longer = await shorten(doctor, 100);
  t.equal(longer.statusCode, 400, 'never later than agreed');
  t.match(longer.json().detail, /earlier than the current deadline/);
  t.equal((await shorten(doctor, -1)).statusCode, 400, 'nor in the past: that is closing it');

  const shorter = await shorten(doctor, 2);
  t.equal(shorter.statusCode, 204, 'the approver brings the end forward');
  const row = await ctx.db
    .selectFrom('legal_exceptions')
    .select('expires_at')
    .where('id', '=', exceptionId)
    .executeTakeFirstOrThrow();
  t.equal(row.expires_at?.getTime(), clock.now().getTime() + 2 * HOUR);
  await eventsSealed(ctx.db);
  t.match(
    await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', String(shorter.headers['x-request-id']))
      .executeTakeFirstOrThrow(),
    { type: 'exception.shortened', actor_id: doctor.id, legal_basis_id: exceptionId },
  );

  clock.advance(2 * HOUR + 1000);
  await t.rejects(swSdk.cases.read(id, 'health'), { code: 'CONSENT_REQUIRED' }, 'access ends sooner');
  t.equal(await expireExceptions(ctx), 1);
  t.same(await swHealthKeys(id), [], 'and the keys go with it');
  t.equal((await shorten(doctor, 1)).statusCode, 409, 'a closed exception is not shortened');
});
