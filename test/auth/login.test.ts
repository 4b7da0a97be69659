import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import {
  addMember,
  enrollWithCode,
  invitationOf,
  listen,
  loginAs,
  newClsm,
  sdkFor,
} from '../helpers/members.js';
import { generateDeviceKeys, publicDeviceKeys, signDetached } from '../../src/crypto/device-keys.js';
import { loginMessage } from '../../src/crypto/messages.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { inviteRequest, suspend } from '../helpers/directory.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const ta = await startTestApp(t);
const { app, ctx } = ta;

const lastEvent = async (type: string) => {
  await eventsSealed(ctx.db);
  return ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('type', '=', type)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
};

t.test('enroll, log in with the device key, see who I am, log out', async (t) => {
  const created = await createClsm(ctx.db, 'CLSM Ville-sur-Test', ctx.charters);
  const enrolled = await enrollWithCode(app, created.coordinatorCode);
  t.equal(enrolled.clsmId, created.clsmId);
  t.equal(enrolled.role, 'coordinator');
  const token = await loginAs(app, enrolled.clsmId, enrolled.memberId, enrolled.keys);
  const me = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(me.statusCode, 200);
  t.match(me.json(), {
    memberId: enrolled.memberId,
    tenantId: created.clsmId,
    role: 'coordinator',
    charterAccepted: false,
  });
  t.match(await lastEvent('auth.login'), {
    clsm_id: created.clsmId,
    actor_id: enrolled.memberId,
    outcome: 'success',
  });
  t.match(await lastEvent('member.enrolled'), { clsm_id: created.clsmId, actor_id: enrolled.memberId });
});

t.test('an enrollment code works once, and a wrong code is refused and audited', async (t) => {
  const created = await createClsm(ctx.db, 'CLSM Once', ctx.charters);
  const invitation = await invitationOf(app, created.coordinatorCode);
  t.match(await lastEvent('member.invitation_opened'), {
    clsm_id: created.clsmId,
    outcome: 'success',
    subject_id: invitation.memberId,
  });
  const enrolled = await enrollWithCode(app, created.coordinatorCode);
  t.equal(enrolled.memberId, invitation.memberId, 'the member gets the id the invitation named');
  await t.rejects(enrollWithCode(app, created.coordinatorCode), /401/);
  t.match(await lastEvent('member.invitation_opened'), {
    outcome: 'denied',
    reason: 'ENROLLMENT_CODE_INVALID',
  });
  const pub = await publicDeviceKeys(await generateDeviceKeys(), invitation);
  const replayed = await app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: {
      code: created.coordinatorCode,
      signPublicKey: b64(pub.signPublicKey),
      boxPublicKey: b64(pub.boxPublicKey),
      keySignature: b64(pub.selfSignature),
    },
  });
  t.equal(replayed.statusCode, 401);
  t.match(await lastEvent('member.enrolled'), { outcome: 'denied', reason: 'ENROLLMENT_CODE_INVALID' });
  await t.rejects(enrollWithCode(app, 'AAAA-BBBB-CCCC-DDDD'), /401/);
});

t.test('a key self-signature that does not verify is refused and audited', async (t) => {
  const created = await createClsm(ctx.db, 'CLSM Sig', ctx.charters);
  const invitation = await invitationOf(app, created.coordinatorCode);
  const keys = await generateDeviceKeys();
  const other = await generateDeviceKeys();
  const post = (pub: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array; selfSignature: Uint8Array }) =>
    app.inject({
      method: 'POST',
      url: '/v1/enroll',
      payload: {
        code: created.coordinatorCode,
        signPublicKey: b64(pub.signPublicKey),
        boxPublicKey: b64(pub.boxPublicKey),
        keySignature: b64(pub.selfSignature),
      },
    });
  const pub = await publicDeviceKeys(keys, invitation);
  const attempts = {
    // The box key of another device, under this device's self-signature.
    'another box key': { ...pub, boxPublicKey: other.boxPublicKey },
    // Well signed, but for another member id or another CLSM than the invitation names.
    'another member id': await publicDeviceKeys(keys, { ...invitation, memberId: crypto.randomUUID() }),
    'another CLSM': await publicDeviceKeys(keys, { ...invitation, clsmId: crypto.randomUUID() }),
  };
  for (const [name, attempt] of Object.entries(attempts)) {
    const res = await post(attempt);
    t.equal(res.statusCode, 400, name);
    t.equal(res.json().code, 'BAD_SIGNATURE', name);
    t.match(
      await lastEvent('member.enrolled'),
      {
        clsm_id: created.clsmId,
        outcome: 'denied',
        reason: 'BAD_SIGNATURE',
        request_id: res.json().requestId,
      },
      `${name}: the refusal is audited`,
    );
  }
  t.equal((await post(pub)).statusCode, 201, 'the code was not consumed by the refused attempts');
});

t.test('login: wrong key, replayed challenge, unknown member', async (t) => {
  const { coordinator } = await newClsm(ta);
  const member = await addMember(ta, coordinator, 'social_worker');
  const intruder = await generateDeviceKeys();

  const challenge = async (memberId: string) =>
    (
      await app.inject({
        method: 'POST',
        url: '/v1/auth/challenge',
        payload: { tenantId: member.clsmId, memberId },
      })
    ).json<{ challengeId: string; nonce: string }>();
  const attempt = async (memberId: string, c: { challengeId: string; nonce: string }, secret: Uint8Array) =>
    app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: {
        tenantId: member.clsmId,
        memberId,
        challengeId: c.challengeId,
        signature: b64(
          await signDetached(
            loginMessage(member.clsmId, memberId, c.challengeId, Buffer.from(c.nonce, 'base64')),
            secret,
          ),
        ),
      },
    });

  const c1 = await challenge(member.id);
  const wrong = await attempt(member.id, c1, intruder.signSecretKey);
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.json().code, 'LOGIN_FAILED');
  t.match(await lastEvent('auth.login_failed'), {
    clsm_id: member.clsmId,
    actor_id: member.id,
    reason: 'BAD_SIGNATURE',
  });
  const replay = await attempt(member.id, c1, member.keys.signSecretKey);
  t.equal(replay.statusCode, 401, 'a challenge is single-use, even after a failed attempt');

  const c2 = await challenge(member.id);
  t.equal((await attempt(member.id, c2, member.keys.signSecretKey)).statusCode, 200);
  t.equal((await attempt(member.id, c2, member.keys.signSecretKey)).statusCode, 401, 'and after a success');

  const ghost = '0c5f2a4e-7b1d-4c3e-9f8a-1b2c3d4e5f60';
  const c3 = await challenge(ghost);
  t.match(c3, { challengeId: String, nonce: String }, 'an unknown member gets a challenge too');
  const ghostLogin = await attempt(ghost, c3, intruder.signSecretKey);
  t.equal(ghostLogin.statusCode, 401);
  t.same(Object.keys(ghostLogin.json()).sort(), Object.keys(wrong.json()).sort());
  t.equal(ghostLogin.json().detail, wrong.json().detail, 'same answer as for a known member');
});

t.test('a suspended member cannot log in again, and loses the keys of their cases', async (t) => {
  const { coordinator } = await newClsm(ta);
  const member = await addMember(ta, coordinator, 'social_worker');
  const url = await listen(app);
  const sdk = sdkFor(url, member);
  const { id } = await sdk.cases.refer('dettes', 'routine');
  await sdk.cases.write(id, 'social', new TextEncoder().encode('note'));
  await suspend(app, coordinator, member.id);
  await t.rejects(loginAs(app, member.clsmId, member.id, member.keys), /401/);
  const grants = await ctx.db
    .selectFrom('key_grants')
    .select('compartment')
    .where('grantee_id', '=', member.id)
    .execute();
  t.same(grants, [], 'their wrapped keys are deleted');
  const social = await ctx.db
    .selectFrom('case_compartments')
    .select('rotation_required')
    .where('case_id', '=', id)
    .where('compartment', '=', 'social')
    .executeTakeFirstOrThrow();
  t.equal(social.rotation_required, true, 'the next entry will be under a key they never had');
});

t.test("invitations are the coordinator's, refusals are audited, the charter comes first", async (t) => {
  const { coordinator } = await newClsm(ta);
  const nurse = await addMember(ta, coordinator, 'health_professional');
  const res = await app.inject({
    method: 'POST',
    url: '/v1/members/invitations',
    headers: nurse.headers,
    payload: (
      await inviteRequest(nurse, nurse.anchor, {
        role: 'coordinator',
        organisation: 'Hôpital',
        displayName: 'Usurpateur',
      })
    ).body,
  });
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'FORBIDDEN');
  t.match(await lastEvent('access.denied'), {
    actor_id: nurse.id,
    action: 'member.invite',
    outcome: 'denied',
    reason: 'FORBIDDEN',
  });

  const newcomer = await addMember(ta, coordinator, 'social_worker', { acceptCharter: false });
  const blocked = await app.inject({ method: 'GET', url: '/v1/members', headers: newcomer.headers });
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'CHARTER_NOT_ACCEPTED');
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: newcomer.headers })).statusCode, 200);
  const charter = await app.inject({ method: 'GET', url: '/v1/charter', headers: newcomer.headers });
  t.equal(charter.statusCode, 200);
  t.match(charter.json(), { version: 1, accepted: false, text: /Charte éthique/ });
  const accept = await app.inject({
    method: 'POST',
    url: '/v1/charter/accept',
    headers: newcomer.headers,
    payload: { version: 1 },
  });
  t.equal(accept.statusCode, 204);
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/members', headers: newcomer.headers })).statusCode,
    200,
  );
});

t.test('the directory lists members with their self-signed public keys', async (t) => {
  const { coordinator } = await newClsm(ta);
  const sw = await addMember(ta, coordinator, 'social_worker');
  const res = await app.inject({ method: 'GET', url: '/v1/members', headers: sw.headers });
  const members = res.json<{ members: { id: string; keys: { signPublicKey: string } }[] }>().members;
  t.equal(members.length, 2);
  t.equal(members.find((m) => m.id === sw.id)?.keys.signPublicKey, b64(sw.keys.signPublicKey));
});
