import t from 'tap';
import { change } from '../../src/crypto/case-log-statements.js';
import { startTestApp } from '../helpers/app.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { addMember, listen, newClsm, sdkFor, type TestMember } from '../helpers/members.js';
import { expireExceptions } from '../../src/consent/exceptions.js';
import { CaseKeys } from '../../src/client/case-keys.js';
import type { WireGrant } from '../../src/client/case-wire.js';
import { NotEntitledError } from '../../src/client/key-refusals.js';
import { sealGrant } from '../../src/crypto/grants.js';

// Consent is not a checkbox: it opens and closes access, at once, with the keys.

const ta = await startTestApp(t);
const { app, ctx, clock } = ta;
const { coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const doctor = await addMember(ta, coordinator, 'health_professional');
const sw = await addMember(ta, coordinator, 'social_worker');
const landlord = await addMember(ta, coordinator, 'partner', { organisation: 'Habitat Social 76' });
const url = await listen(app);
const coordSdk = sdkFor(url, coordinator);
const nurseSdk = sdkFor(url, nurse);
const swSdk = sdkFor(url, sw);
const landlordSdk = sdkFor(url, landlord);
const enc = (s: string) => new TextEncoder().encode(s);

async function situation() {
  const { id } = await nurseSdk.cases.refer('menace_expulsion', 'soon');
  await coordSdk.cases.transition(id, 'accept');
  for (const m of [sw, landlord, doctor]) await nurseSdk.cases.addParticipant(id, m.id);
  await nurseSdk.cases.write(id, 'synthesis', enc('Dette locative, refus de soins, logement encombré.'));
  await nurseSdk.cases.write(id, 'health', enc('Suivi CMP interrompu en janvier.'));
  await nurseSdk.cases.shareKeys(id);
  return id;
}

/** Records a position as the member's device sends it: with its membership log statement, signed. */
const consent = async (
  caseId: string,
  by: TestMember,
  body: { decision: string; scope?: string[]; [field: string]: unknown },
) =>
  app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/consent`,
    headers: by.headers,
    payload: {
      ...body,
      log: await sdkFor(url, by).caseLogs.seal(
        caseId,
        change('consent', { decision: body.decision, scope: body.scope ?? [] }),
      ),
    },
  });

t.test('consent given, then withdrawn: the landlord loses the synthesis at once, keys and all', async (t) => {
  const id = await situation();
  await t.rejects(
    landlordSdk.cases.read(id, 'synthesis'),
    { code: 'CONSENT_REQUIRED' },
    'a partner needs consent',
  );
  const given = await consent(id, sw, {
    decision: 'given',
    scope: ['partner:synthesis'],
    obtained: 'written',
  });
  t.equal(given.statusCode, 201);
  t.equal(await nurseSdk.cases.shareKeys(id), 1, 'the landlord is now entitled: one pending grant');
  t.equal((await landlordSdk.cases.read(id, 'synthesis')).length, 1);

  const withdrawn = await consent(id, sw, { decision: 'withdrawn', obtained: 'oral' });
  t.equal(withdrawn.statusCode, 201);
  t.equal(withdrawn.json().keysRevoked, 1);
  const next = await app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/synthesis/entries`,
    headers: landlord.headers,
  });
  t.equal(next.statusCode, 403);
  t.equal(next.json().code, 'CONSENT_REQUIRED');
  const view = await nurseSdk.cases.view(id);
  t.equal(
    view.compartments.find((c) => c.name === 'synthesis')?.rotationRequired,
    true,
    'the synthesis must be rotated',
  );
  const keysLeft = await ctx.db
    .selectFrom('key_grants')
    .select('key_version')
    .where('case_id', '=', id)
    .where('grantee_id', '=', landlord.id)
    .execute();
  t.same(keysLeft, [], "the landlord's wrapped keys are gone");
  await eventsSealed(ctx.db);
  const event = await ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('case_id', '=', id)
    .where('type', '=', 'grant.revoked')
    .executeTakeFirstOrThrow();
  t.match(event, {
    subject_id: landlord.id,
    compartment: 'synthesis',
    legal_basis: 'consent',
    legal_basis_id: withdrawn.json().id,
  });
  await nurseSdk.cases.write(id, 'synthesis', enc('après le retrait'));
  t.equal(
    (await nurseSdk.cases.view(id)).compartments.find((c) => c.name === 'synthesis')?.keyVersion,
    2,
    'rotated on the next write',
  );
  const history = await app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/consent`,
    headers: landlord.headers,
  });
  t.same(
    history.json().records.map((r: { decision: string }) => r.decision),
    ['given', 'withdrawn'],
    'nothing overwritten',
  );
});

t.test('a review date the database cannot hold is a 400, not a 500', async (t) => {
  const id = await situation();
  for (const reviewOn of ['0000-02-29', '0001-01-01', '3000-01-01']) {
    const res = await consent(id, sw, { decision: 'refused', obtained: 'oral', reviewOn });
    t.equal(res.statusCode, 400, reviewOn);
    t.equal(res.json().code, 'VALIDATION_FAILED', reviewOn);
  }
  const fine = await consent(id, sw, { decision: 'refused', obtained: 'oral', reviewOn: '2027-02-28' });
  t.equal(fine.statusCode, 201, 'a plausible date is recorded');
});

t.test('a grant beyond the consent scope is refused and recorded', async (t) => {
  const id = await situation();
  // The SDK refuses on the device (test/trust/); the server's own check is asked directly, with a
  // grant sealed and signed as a client that skipped that check would send it.
  await t.rejects(nurseSdk.cases.grant(id, 'health', sw.id, 1), NotEntitledError);
  const ring = new CaseKeys(nurseSdk, nurseSdk.cases);
  const page = await nurseSdk.request<{ grants: WireGrant[] }>(
    'GET',
    `/v1/cases/${id}/compartments/health/entries`,
  );
  await ring.openAll(id, 'health', page.grants);
  const key = ring.held(id, 'health', 1);
  if (key === undefined) throw new Error('the nurse holds no health key');
  const sealed = await sealGrant(
    {
      caseId: id,
      compartment: 'health',
      keyVersion: 1,
      granterId: nurse.id,
      granteeId: sw.id,
      granteeBoxPublicKey: sw.keys.boxPublicKey,
    },
    key,
    nurse.keys.signSecretKey,
  );
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  await t.rejects(
    nurseSdk.request('POST', `/v1/cases/${id}/compartments/health/grants`, {
      keyVersion: 1,
      granteeId: sw.id,
      granteeKeyVersion: 1,
      sealedKey: b64(sealed.sealedKey),
      signature: b64(sealed.signature),
    }),
    { code: 'CONSENT_REQUIRED', status: 403 },
  );
  await eventsSealed(ctx.db);
  const denied = await ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('case_id', '=', id)
    .where('type', '=', 'access.denied')
    .executeTakeFirstOrThrow();
  t.match(denied, {
    actor_id: nurse.id,
    subject_id: sw.id,
    action: 'grant.give',
    compartment: 'health',
    reason: 'CONSENT_REQUIRED',
  });
  const outside = await consent(id, sw, {
    decision: 'given',
    scope: ['partner:health'],
    obtained: 'oral',
  });
  t.equal(outside.statusCode, 400, 'consent cannot open what the policy never allows');
  t.match(outside.json().detail, /partner:health/);
});

t.test('legal exceptions: four eyes, a time box, and the end of access', async (t) => {
  const id = await situation();
  const justification = await swSdk.cases.write(
    id,
    'synthesis',
    enc('Risque de passage à l’acte, refus de tout contact.'),
    { kind: 'justification' },
  );
  const opened = await app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/exceptions`,
    headers: sw.headers,
    payload: {
      basis: 'danger_grave_imminent',
      scope: ['social_worker:health'],
      justificationEntryId: justification,
      durationHours: 72,
      log: await swSdk.caseLogs.seal(
        id,
        change('exception-opened', { scope: ['social_worker:health'], hours: 72 }),
      ),
    },
  });
  t.equal(opened.statusCode, 201);
  const exceptionId = opened.json().id as string;
  const ref =
    (await swSdk.consent.exceptions(id)).exceptions.find((e) => e.id === exceptionId)?.logSeq ?? null;
  const approve = async (by: TestMember) =>
    app.inject({
      method: 'POST',
      url: `/v1/cases/${id}/exceptions/${exceptionId}/approve`,
      headers: by.headers,
      payload: { log: await sdkFor(url, by).caseLogs.seal(id, change('exception-approved', { ref })) },
    });
  t.equal((await approve(sw)).statusCode, 403, 'the requester cannot approve their own exception');
  t.equal((await approve(landlord)).statusCode, 403, 'nor can a partner');
  await t.rejects(swSdk.cases.read(id, 'health'), { code: 'CONSENT_REQUIRED' }, 'no access before approval');
  t.equal((await approve(doctor)).statusCode, 204, 'a second person, health professional, approves');
  t.equal((await approve(doctor)).statusCode, 409, 'once');
  await nurseSdk.cases.shareKeys(id);
  t.equal(
    (await swSdk.cases.read(id, 'health')).length,
    1,
    'the exception opens the health compartment to the social worker',
  );

  clock.advance(72 * 3_600_000 + 1000);
  const after = await app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/compartments/health/entries`,
    headers: sw.headers,
  });
  t.equal(after.statusCode, 403, 'access ends with the time box, before any job runs');
  t.equal(await expireExceptions(ctx), 1);
  const keysLeft = await ctx.db
    .selectFrom('key_grants')
    .select('key_version')
    .where('case_id', '=', id)
    .where('grantee_id', '=', sw.id)
    .where('compartment', '=', 'health')
    .execute();
  t.same(keysLeft, [], 'the keys it gave are gone');
  await eventsSealed(ctx.db);
  const closed = await ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('case_id', '=', id)
    .where('type', '=', 'exception.closed')
    .executeTakeFirstOrThrow();
  t.match(closed, { reason: 'EXPIRED', actor_id: null, legal_basis_id: exceptionId });
  const inform = await app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/exceptions/${exceptionId}/inform`,
    headers: sw.headers,
  });
  t.equal(inform.statusCode, 204, 'informing the person is recorded');
  clock.set(new Date());
});

t.test('the access report shows each access with its legal basis, in JSON and CSV', async (t) => {
  const id = await situation();
  const given = await consent(id, sw, {
    decision: 'given',
    scope: ['partner:synthesis'],
    obtained: 'written',
  });
  await nurseSdk.cases.shareKeys(id);
  await landlordSdk.cases.read(id, 'synthesis');
  await nurseSdk.cases.read(id, 'health');
  const dpo = await addMember(ta, coordinator, 'dpo');
  const report = await app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/access-report`,
    headers: dpo.headers,
  });
  t.equal(report.statusCode, 200);
  const reads = report.json().lines.filter((l: { type: string }) => l.type === 'compartment.read');
  t.match(reads, [
    {
      memberId: landlord.id,
      role: 'partner',
      organisation: 'Habitat Social 76',
      compartment: 'synthesis',
      legalBasis: 'consent',
      legalBasisId: given.json().id,
    },
    {
      memberId: nurse.id,
      role: 'health_professional',
      compartment: 'health',
      legalBasis: 'care_team',
      legalBasisId: null,
    },
  ]);
  const csv = await app.inject({
    method: 'GET',
    url: `/v1/cases/${id}/access-report`,
    headers: { ...coordinator.headers, accept: 'text/csv' },
  });
  t.match(csv.headers['content-type'], /^text\/csv/);
  t.match(
    csv.body,
    /^at,type,outcome,action,compartment,memberId,role,displayName,organisation,legalBasis,legalBasisId\r\n/,
  );
  t.match(csv.body, new RegExp(`compartment.read,success,,synthesis,${landlord.id},partner,`));
  t.equal(
    (await app.inject({ method: 'GET', url: `/v1/cases/${id}/access-report`, headers: nurse.headers }))
      .statusCode,
    403,
    'not for participants',
  );
  await eventsSealed(ctx.db);
  const logged = await ctx.db
    .selectFrom('audit_events')
    .select('actor_id')
    .where('case_id', '=', id)
    .where('type', '=', 'audit.read')
    .orderBy('seq')
    .execute();
  t.same(
    logged.map((l) => l.actor_id),
    [dpo.id, coordinator.id],
    'reading the report is on the record',
  );
});
