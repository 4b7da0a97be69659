import t, { type Test } from 'tap';
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { startTestApp } from '../helpers/app.js';
import { addMember, newClsm } from '../helpers/members.js';
import { keyIdOf } from '../../src/auth/tokens.js';
import { REFUSAL_WINDOW_MS } from '../../src/auth/refusal-windows.js';
import { PLATFORM_CLSM } from '../../src/kernel/audit-events.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { sign as signStatement } from '../helpers/directory.js';

// Every forged, stale or revoked token gets 401 and leaves an audit event; repeated ones from one
// source within a minute are counted into one event instead of one each.

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

const ta = await startTestApp(t);
const { app, ctx, secrets } = ta;
const { clsmId, coordinator } = await newClsm(ta);
const member = await addMember(ta, coordinator, 'social_worker');
const pem = secrets.tokenSigningKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const kid = keyIdOf(secrets.tokenSigningKey);
const now = Math.floor(Date.now() / 1000);

// A session that exists, so that only the attacked property is wrong in each token.
const session = (
  await ctx.db
    .selectFrom('sessions')
    .select('id')
    .where('member_id', '=', member.id)
    .executeTakeFirstOrThrow()
).id;
const claims = {
  sub: member.id,
  tid: clsmId,
  sid: session,
  iss: 'clsm',
  aud: 'clsm-api',
  iat: now,
  exp: now + 600,
};

const sign = (payload: object, header: Record<string, unknown> = {}) =>
  createSigner({ key: pem, algorithm: 'EdDSA', kid, header: { alg: 'EdDSA', ...header } })(payload);

const raw = (header: object, payload: object, signature = '') =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;

const refusedEvents = async () => {
  await eventsSealed(ctx.db);
  return (
    await ctx.db
      .selectFrom('audit_events')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('type', '=', 'auth.token_refused')
      .executeTakeFirstOrThrow()
  ).n;
};

const expectRefused = async (t: Test, name: string, token: string) => {
  // Each attack in a window of its own: the first refusal of a window is recorded at once.
  ta.clock.advance(REFUSAL_WINDOW_MS);
  const before = await refusedEvents();
  const res = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(res.statusCode, 401, `${name}: 401`);
  t.equal(res.json().code, 'TOKEN_INVALID', `${name}: code`);
  t.equal(await refusedEvents(), before + 1, `${name}: audited`);
};

t.test('the genuine token is accepted (the attacks below differ from it in one property)', async (t) => {
  const res = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { authorization: `Bearer ${sign(claims)}` },
  });
  t.equal(res.statusCode, 200);
});

t.test('forged and malformed tokens', async (t) => {
  const publicPem = createPublicKey(secrets.tokenSigningKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  await expectRefused(t, 'alg none', raw({ alg: 'none', typ: 'JWT' }, claims));
  const hsHeader = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }));
  const hsPayload = b64url(JSON.stringify(claims));
  const hs = createHmac('sha256', publicPem).update(`${hsHeader}.${hsPayload}`).digest('base64url');
  await expectRefused(t, 'HS256 with the public key as secret', `${hsHeader}.${hsPayload}.${hs}`);
  const genuine = sign(claims);
  const [h, p, s] = genuine.split('.') as [string, string, string];
  const flipped = Buffer.from(s, 'base64url');
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  await expectRefused(t, 'tampered signature', `${h}.${p}.${flipped.toString('base64url')}`);
  await expectRefused(t, 'truncated signature', `${h}.${p}.${s.slice(0, 20)}`);
  await expectRefused(
    t,
    'tampered payload',
    `${h}.${b64url(JSON.stringify({ ...claims, sub: coordinator.id }))}.${s}`,
  );
  const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await expectRefused(
    t,
    'signed by another key',
    createSigner({ key: other, algorithm: 'EdDSA', kid })(claims),
  );
  await expectRefused(t, 'garbage', 'not-a-token');
});

t.test('claims out of bounds', async (t) => {
  await expectRefused(t, 'expired', sign({ ...claims, iat: now - 7200, exp: now - 3600 }));
  await expectRefused(t, 'not yet valid', sign({ ...claims, nbf: now + 3600 }));
  const { exp: _exp, ...noExp } = claims;
  await expectRefused(t, 'missing exp', sign(noExp));
  await expectRefused(
    t,
    'too old (iat beyond the maximum age)',
    sign({ ...claims, iat: now - 3600, exp: now + 600 }),
  );
  await expectRefused(t, 'wrong issuer', sign({ ...claims, iss: 'https://evil.example' }));
  await expectRefused(t, 'wrong audience', sign({ ...claims, aud: 'another-api' }));
  await expectRefused(t, 'unknown session', sign({ ...claims, sid: randomUUID() }));
  await expectRefused(t, 'session of another member', sign({ ...claims, sub: coordinator.id }));
});

t.test('headers that point elsewhere', async (t) => {
  await expectRefused(
    t,
    'unknown kid',
    createSigner({ key: pem, algorithm: 'EdDSA', kid: 'someone-else' })(claims),
  );
  await expectRefused(t, 'jku', sign(claims, { jku: 'https://evil.example/jwks.json' }));
  await expectRefused(t, 'x5u', sign(claims, { x5u: 'https://evil.example/cert.pem' }));
  await expectRefused(t, 'embedded jwk', sign(claims, { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }));
  await expectRefused(t, 'wrong typ', sign(claims, { typ: 'secevent+jwt' }));
});

t.test('a token is dead after logout, and after suspension', async (t) => {
  const victim = await addMember(ta, coordinator, 'partner');
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/auth/logout', headers: victim.headers })).statusCode,
    204,
  );
  await expectRefused(t, 'reuse after logout', victim.token);

  const suspended = await addMember(ta, coordinator, 'health_professional');
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: suspended.headers })).statusCode, 200);
  const res = await signStatement(app, coordinator, 'suspend', suspended.id);
  t.equal(res.statusCode, 201);
  await expectRefused(t, 'reuse after suspension', suspended.token);
  await eventsSealed(ctx.db);
  const event = await ctx.db
    .selectFrom('audit_events')
    .select(['reason', 'clsm_id', 'actor_id'])
    .where('type', '=', 'auth.token_refused')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  t.same(
    event,
    { reason: 'MEMBER_SUSPENDED', clsm_id: clsmId, actor_id: suspended.id },
    'recorded in the CLSM chain, with the reason',
  );
});

t.test('a request without a token is 401 UNAUTHENTICATED and audited too', async (t) => {
  const before = await refusedEvents();
  const res = await app.inject({ method: 'GET', url: '/v1/me' });
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHENTICATED');
  t.equal(res.headers['www-authenticate'], 'Bearer');
  t.equal(await refusedEvents(), before + 1);
});

t.test('a flood of garbage tokens leaves a few events carrying the count, not one each', async (t) => {
  ta.clock.advance(REFUSAL_WINDOW_MS);
  const refusals = async (afterSeq: number) => {
    await eventsSealed(ctx.db);
    return ctx.db
      .selectFrom('audit_events')
      .select(['seq', 'reason', 'occurrences', 'request_id'])
      .where('clsm_id', '=', PLATFORM_CLSM)
      .where('type', '=', 'auth.token_refused')
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
  };
  await eventsSealed(ctx.db);
  const start = (
    await ctx.db
      .selectFrom('audit_events')
      .select((e) => e.fn.max('seq').as('seq'))
      .where('clsm_id', '=', PLATFORM_CLSM)
      .executeTakeFirstOrThrow()
  ).seq;
  const garbage = async (i: number) =>
    (
      await app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer garbage-${i}` },
      })
    ).statusCode;
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) statuses.push(await garbage(i));
  t.ok(
    statuses.every((s) => s === 401),
    'every garbage token is refused',
  );
  const during = await refusals(start);
  t.equal(during.length, 1, 'one event for the first refusal of the window');
  t.equal(during[0]?.occurrences, null, 'it stands for itself');

  ta.clock.advance(REFUSAL_WINDOW_MS);
  t.equal(await garbage(60), 401);
  const after = await refusals(start);
  t.equal(after.length, 3, 'the first, the window summary, the first of the next window');
  t.equal(after[1]?.occurrences, 59, 'the summary carries the count of the refusals it stands for');
  t.equal(after[1]?.request_id, null, 'and names no single request');
  t.equal(
    after.reduce((n, e) => n + (e.occurrences ?? 1), 0),
    61,
    'every refusal is accounted for',
  );
  t.ok(
    after.every((e) => e.reason === after[0]?.reason),
    'with its reason',
  );
  const verdict = await verifyClsm(ctx.db, PLATFORM_CLSM);
  t.ok(verdict.ok, `the chain with counted events verifies: ${verdict.problem ?? ''}`);
});
