import t from 'tap';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Fastify from 'fastify';
import { createSigner } from 'fast-jwt';
import { sql } from 'kysely';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { asOwner } from '../helpers/owner.js';
import { scratchDir } from '../helpers/paths.js';
import { generateDeviceKeys, publicDeviceKeys } from '../../src/crypto/device-keys.js';
import { createClsm } from '../../src/clsms/clsms.js';

// Production authentication: tokens from an external OpenID Connect provider, verified against
// its published keys. The provider here is a real HTTP server publishing a real JWKS.

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const ISSUER = 'https://idp.clsm.example/realms/clsm';
const AUDIENCE = 'clsm-api';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
const jwks = Fastify();
let jwksHits = 0;
jwks.get('/jwks', () => {
  jwksHits += 1;
  return { keys: [jwk] };
});
await jwks.listen({ port: 0, host: '127.0.0.1' });
t.teardown(() => jwks.close());
const address = jwks.server.address();
const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/jwks`;

const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const idpToken = (sub: string, overrides: { kid?: string; claims?: object } = {}) => {
  const token = createSigner({
    key: pem,
    algorithm: 'RS256',
    kid: overrides.kid ?? 'idp-key-1',
    iss: ISSUER,
    aud: AUDIENCE,
    expiresIn: 300_000,
  })({
    sub,
    jti: randomUUID(),
    ...overrides.claims,
  });
  mustNotLeak(token);
  return token;
};

async function enroll(app: Awaited<ReturnType<typeof startTestApp>>['app'], code: string, token: string) {
  const lookup = await app.inject({ method: 'POST', url: '/v1/enroll/invitation', payload: { code } });
  // An unknown code names no one: the keys are signed for made-up ids, and enrollment refuses the code.
  const owner =
    lookup.statusCode === 200
      ? { clsmId: lookup.json().tenantId, memberId: lookup.json().memberId }
      : { clsmId: randomUUID(), memberId: randomUUID() };
  const pub = await publicDeviceKeys(await generateDeviceKeys(), owner);
  return app.inject({
    method: 'POST',
    url: '/v1/enroll',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      code,
      signPublicKey: b64(pub.signPublicKey),
      boxPublicKey: b64(pub.boxPublicKey),
      keySignature: b64(pub.selfSignature),
    },
  });
}

for (const source of ['jwks-url', 'static-file'] as const) {
  t.test(`OIDC with keys from ${source}`, async (t) => {
    let keyEnv: Record<string, string> = { OIDC_JWKS_URL: jwksUrl };
    if (source === 'static-file') {
      const file = path.join(await scratchDir('jwks'), 'jwks.json');
      await writeFile(file, JSON.stringify({ keys: [jwk] }));
      keyEnv = { OIDC_PUBLIC_KEYS_FILE: file };
    }
    const { app, ctx, db } = await startTestApp(t, {
      env: { AUTH_MODE: 'oidc', OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, ...keyEnv },
    });
    const created = await createClsm(ctx.db, 'CLSM OIDC', ctx.charters);

    const anna = idpToken('anna@idp');
    t.equal(
      (await enroll(app, created.coordinatorCode, anna)).statusCode,
      201,
      'the code binds the provider subject',
    );
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${anna}` },
    });
    t.equal(me.statusCode, 200);
    t.equal(me.json().role, 'coordinator');

    const invite = await app.inject({
      method: 'POST',
      url: '/v1/members/invitations',
      headers: { authorization: `Bearer ${anna}` },
      payload: {
        role: 'partner',
        organisation: 'Bailleur',
        displayName: 'B',
        invitationId: randomUUID(),
        codeHash: b64(new Uint8Array(32).fill(7)),
      },
    });
    t.equal(invite.statusCode, 403, 'the charter still comes first');
    t.equal(
      (await enroll(app, 'AAAA-BBBB-CCCC-DDDD', idpToken('bob@idp'))).statusCode,
      401,
      'a bad code is refused',
    );
    const again = await createClsm(ctx.db, 'CLSM OIDC 2', ctx.charters);
    t.equal(
      (await enroll(app, again.coordinatorCode, idpToken('anna@idp'))).statusCode,
      409,
      'one member per subject',
    );

    const refused = async (name: string, token: string) => {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      t.equal(res.statusCode, 401, name);
    };
    await refused('an unknown subject', idpToken('mallory@idp'));
    await refused('an unknown key id', idpToken('anna@idp', { kid: 'rotated-away' }));
    await refused(
      'another issuer',
      createSigner({
        key: pem,
        algorithm: 'RS256',
        kid: 'idp-key-1',
        iss: 'https://evil.example',
        aud: AUDIENCE,
        expiresIn: 300_000,
      })({ sub: 'anna@idp' }),
    );
    await refused(
      'HS256 signed with the published key',
      createSigner({
        key: JSON.stringify(jwk),
        algorithm: 'HS256',
        kid: 'idp-key-1',
        iss: ISSUER,
        aud: AUDIENCE,
        expiresIn: 300_000,
      })({ sub: 'anna@idp' }),
    );
    await refused(
      'an access token type that is not a JWT',
      createSigner({
        key: pem,
        algorithm: 'RS256',
        kid: 'idp-key-1',
        iss: ISSUER,
        aud: AUDIENCE,
        expiresIn: 300_000,
        header: { alg: 'RS256', typ: 'logout+jwt' },
      })({ sub: 'anna@idp' }),
    );

    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/auth/logout',
          headers: { authorization: `Bearer ${anna}` },
        })
      ).statusCode,
      204,
    );
    await refused('a token after logout', anna);
    t.equal(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${idpToken('anna@idp')}` },
        })
      ).statusCode,
      200,
      'a new token works',
    );

    // A recovery replaced anna's device keys: tokens issued to the replaced device go with them.
    const before = idpToken('anna@idp', { claims: { iat: Math.floor(Date.now() / 1000) - 10 } });
    await asOwner(db, (o) =>
      sql`update members set keys_replaced_at = now() - interval '5 seconds' where oidc_subject = 'anna@idp'`.execute(
        o,
      ),
    );
    const stale = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${before}` },
    });
    t.equal(stale.statusCode, 401, 'a token issued before the keys were replaced is refused');
    t.equal(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${idpToken('anna@idp')}` },
        })
      ).statusCode,
      200,
      'one issued after works',
    );
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/challenge',
      payload: { tenantId: created.clsmId, memberId: created.clsmId },
    });
    t.equal(login.statusCode, 404, 'built-in login is off');
  });
}

t.test('unknown key ids do not turn into a fetch per request', async (t) => {
  const { app } = await startTestApp(t, {
    env: { AUTH_MODE: 'oidc', OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: jwksUrl },
  });
  const before = jwksHits;
  for (let i = 0; i < 20; i++) {
    await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${idpToken('x', { kid: `forged-${i}` })}` },
    });
  }
  t.ok(jwksHits - before <= 1, `${jwksHits - before} fetch(es) for 20 forged key ids`);
});
