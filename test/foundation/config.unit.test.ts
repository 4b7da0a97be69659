import t from 'tap';
import { writeFile, cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildConfig } from '../../src/config/config.js';
import { ConfigError, readEnv } from '../../src/config/env.js';
import { loadPolicyEngine, PolicyError } from '../../src/access/policy-engine.js';
import { createLogger } from '../../src/http/logger.js';
import { POLICIES_DIR } from '../../src/util/paths.js';
import { scratchDir } from '../helpers/paths.js';

t.test('a malformed variable stops start-up, naming it', async (t) => {
  t.throws(() => readEnv({ PORT: 'eighty' }), { name: 'ConfigError', message: /PORT/ });
  t.throws(() => readEnv({ DATABASE_URL: 'mysql://x' }), { message: /DATABASE_URL: must be a postgres/ });
  t.throws(() => readEnv({ AUTH_MODE: 'saml' }), { message: /AUTH_MODE/ });
  t.throws(() => buildConfig(readEnv({ DATABASE_URL: 'postgres://a@b/c' })), {
    message: /STATS_DATABASE_URL is required/,
  });
  t.throws(
    () => buildConfig(readEnv({ DATABASE_URL: 'postgres://a@b/c', STATS_DATABASE_URL: 'postgres://s@b/c' })),
    {
      message: /TOKEN_SIGNING_KEY_FILE is required/,
    },
  );
  t.throws(
    () => buildConfig(readEnv({ AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://idp', OIDC_AUDIENCE: 'a' })),
    { message: /OIDC_JWKS_URL/ },
  );
  t.throws(
    () =>
      buildConfig(
        readEnv({
          AUTH_MODE: 'oidc',
          OIDC_ISSUER: 'https://idp',
          OIDC_AUDIENCE: 'a',
          OIDC_JWKS_URL: 'https://idp/jwks',
          OIDC_ALGORITHMS: 'RS256,HS256',
        }),
      ),
    { message: /HS256/ },
  );
  t.ok(ConfigError);
});

t.test('defaults: embedded database, documentation on, closed CORS', async (t) => {
  const config = buildConfig(readEnv({}));
  t.equal(config.database.kind, 'pglite');
  t.equal(config.port, 3000);
  t.equal(config.statsPort, 3001);
  t.equal(config.http.docsEnabled, true);
  t.same(config.http.corsOrigins, []);
  t.equal(config.http.statsPublicUrl, 'http://127.0.0.1:3001', 'browsers reach statistics beside the API');
  t.equal(
    buildConfig(readEnv({ HOST: 'clsm.local', STATS_PORT: '4001' })).http.statsPublicUrl,
    'http://clsm.local:4001',
  );
  t.equal(
    buildConfig(
      readEnv({
        DATABASE_URL: 'postgres://a@b/c',
        STATS_DATABASE_URL: 'postgres://s@b/c',
        TOKEN_SIGNING_KEY_FILE: 'a',
        AUDIT_SIGNING_KEY_FILE: 'b',
      }),
    ).http.docsEnabled,
    false,
  );
  t.notMatch(
    JSON.stringify(
      buildConfig(
        readEnv({
          DATABASE_URL: 'postgres://a:pw@b/c',
          STATS_DATABASE_URL: 'postgres://s:pw2@b/c',
          TOKEN_SIGNING_KEY_FILE: 'a',
          AUDIT_SIGNING_KEY_FILE: 'b',
        }),
      ),
    ),
    /pw/,
    'the loggable config holds no database password',
  );
});

async function brokenPolicies(mutate: (dir: string) => Promise<void>): Promise<string> {
  const dir = await scratchDir('policies');
  await cp(POLICIES_DIR, dir, { recursive: true });
  await mutate(dir);
  return dir;
}

t.test(
  'policies are validated at start-up: a misspelt role or action stops it, with a suggestion',
  async (t) => {
    const typoRole = await brokenPolicies((dir) =>
      writeFile(
        path.join(dir, 'extra.cedar'),
        '@id("typo") permit (principal, action == Clsm::Action::"case.read", resource) when { principal.role == Clsm::Role::"coordinater" };',
      ),
    );
    await t.rejects(loadPolicyEngine(typoRole), {
      name: 'PolicyError',
      message: /coordinater[\s\S]*valid entity eids: .*"coordinator"/,
    });

    const typoAction = await brokenPolicies((dir) =>
      writeFile(
        path.join(dir, 'extra.cedar'),
        '@id("typo") permit (principal, action == Clsm::Action::"case.raed", resource);',
      ),
    );
    await t.rejects(loadPolicyEngine(typoAction), PolicyError);

    const schemaDrift = await brokenPolicies(async (dir) => {
      const file = path.join(dir, 'schema.cedarschema');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"stats.read",', '"stats.raed",'));
    });
    await t.rejects(loadPolicyEngine(schemaDrift), {
      message: /unknown action "stats.raed" in the schema \(did you mean "stats.read"\?\)/,
    });

    const missing = await brokenPolicies(async (dir) => {
      const file = path.join(dir, 'schema.cedarschema');
      await writeFile(file, (await readFile(file, 'utf8')).replace(', "audit.head"', ''));
    });
    await t.rejects(loadPolicyEngine(missing), {
      message: /action "audit.head" is missing from the schema/,
    });

    // Each action union of the application is asked about one resource type: the schema must agree.
    const wrongResource = await brokenPolicies(async (dir) => {
      const file = path.join(dir, 'schema.cedarschema');
      const text = await readFile(file, 'utf8');
      await writeFile(
        file,
        text.replace('resource: Sitting, context: { convened', 'resource: Clsm, context: { convened'),
      );
    });
    await t.rejects(loadPolicyEngine(wrongResource), {
      message: /unknown Clsm action "sitting.read" in the schema/,
    });

    const noId = await brokenPolicies((dir) =>
      writeFile(path.join(dir, 'extra.cedar'), 'permit (principal, action, resource);'),
    );
    await t.rejects(loadPolicyEngine(noId), { message: /@id/ });

    const shipped = await loadPolicyEngine(POLICIES_DIR);
    t.ok(
      shipped.memoized,
      'the shipped policies name no particular member or case: decisions are remembered',
    );
    const naming = await brokenPolicies((dir) =>
      writeFile(
        path.join(dir, 'extra.cedar'),
        '@id("one-member") permit (principal == Clsm::Member::"a1", action == Clsm::Action::"case.read", resource);',
      ),
    );
    t.notOk((await loadPolicyEngine(naming)).memoized, 'a policy naming one member turns the memo off');
  },
);

t.test('the logger censors authorization headers, cookies, keys, tokens and ciphertext', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', sink);
  logger.info(
    {
      req: {
        id: 'r1',
        method: 'POST',
        url: '/v1/x/SECRET-ID?access_token=SECRET-QUERY',
        routeOptions: { url: '/v1/x/:id' },
        headers: { authorization: 'Bearer SECRET-BEARER', cookie: 'SECRET-COOKIE' },
      },
      body: {
        ciphertext: 'SECRET-CIPHERTEXT',
        wrappedKey: 'SECRET-WRAPPED',
        nested: { token: 'SECRET-TOKEN', secretKey: 'SECRET-KEY' },
      },
      signature: 'SECRET-SIGNATURE',
    },
    'request',
  );
  const out = lines.join('');
  t.notMatch(out, /SECRET-/);
  t.match(out, /\[redacted\]/);
  t.match(out, /"route":"\/v1\/x\/:id"/, 'the route pattern is kept; identifiers and query string are not');
});
