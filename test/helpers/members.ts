import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/kernel/roles.js';
import {
  generateDeviceKeys,
  publicDeviceKeys,
  signDetached,
  type DeviceKeys,
} from '../../src/crypto/device-keys.js';
import { loginMessage } from '../../src/crypto/messages.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { ClsmClient } from '../../src/client/client.js';
import type { TestApp } from './app.js';
import { mustNotLeak } from './app.js';

export interface TestMember {
  id: string;
  clsmId: string;
  role: Role;
  keys: DeviceKeys;
  token: string;
  headers: { authorization: string };
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The CLSM and member id an enrollment code names (the ids a new device signs its keys for). */
export async function invitationOf(
  app: FastifyInstance,
  code: string,
): Promise<{ clsmId: string; memberId: string }> {
  const res = await app.inject({ method: 'POST', url: '/v1/enroll/invitation', payload: { code } });
  if (res.statusCode !== 200) throw new Error(`invitation lookup failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ tenantId: string; memberId: string }>();
  return { clsmId: body.tenantId, memberId: body.memberId };
}

export async function enrollWithCode(
  app: FastifyInstance,
  code: string,
): Promise<{ memberId: string; clsmId: string; role: Role; keys: DeviceKeys }> {
  mustNotLeak(code);
  const keys = await generateDeviceKeys();
  const pub = await publicDeviceKeys(keys, await invitationOf(app, code));
  mustNotLeak(b64(keys.signSecretKey), b64(keys.boxSecretKey));
  const res = await app.inject({
    method: 'POST',
    url: '/v1/enroll',
    payload: {
      code,
      signPublicKey: b64(pub.signPublicKey),
      boxPublicKey: b64(pub.boxPublicKey),
      keySignature: b64(pub.selfSignature),
    },
  });
  if (res.statusCode !== 201) throw new Error(`enroll failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ memberId: string; tenantId: string; role: Role }>();
  return { memberId: body.memberId, clsmId: body.tenantId, role: body.role, keys };
}

export async function loginAs(
  app: FastifyInstance,
  clsmId: string,
  memberId: string,
  keys: DeviceKeys,
): Promise<string> {
  const ch = await app.inject({
    method: 'POST',
    url: '/v1/auth/challenge',
    payload: { tenantId: clsmId, memberId },
  });
  const { challengeId, nonce } = ch.json<{ challengeId: string; nonce: string }>();
  const signature = await signDetached(
    loginMessage(clsmId, memberId, challengeId, Buffer.from(nonce, 'base64')),
    keys.signSecretKey,
  );
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { tenantId: clsmId, memberId, challengeId, signature: b64(signature) },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const token = res.json<{ accessToken: string }>().accessToken;
  mustNotLeak(token);
  return token;
}

export async function acceptCharter(app: FastifyInstance, member: TestMember): Promise<void> {
  const charter = await app.inject({ method: 'GET', url: '/v1/charter', headers: member.headers });
  const { version } = charter.json<{ version: number }>();
  const res = await app.inject({
    method: 'POST',
    url: '/v1/charter/accept',
    headers: member.headers,
    payload: { version },
  });
  if (res.statusCode !== 204) throw new Error(`charter accept failed: ${res.statusCode} ${res.body}`);
}

async function finish(
  app: FastifyInstance,
  enrolled: Awaited<ReturnType<typeof enrollWithCode>>,
  charter: boolean,
): Promise<TestMember> {
  const token = await loginAs(app, enrolled.clsmId, enrolled.memberId, enrolled.keys);
  const member: TestMember = {
    id: enrolled.memberId,
    clsmId: enrolled.clsmId,
    role: enrolled.role,
    keys: enrolled.keys,
    token,
    headers: { authorization: `Bearer ${token}` },
  };
  if (charter) await acceptCharter(app, member);
  return member;
}

/** A new CLSM and its first coordinator, enrolled, logged in and bound by the charter. */
export async function newClsm(
  t: TestApp,
  name = 'CLSM de Test',
): Promise<{ clsmId: string; coordinator: TestMember }> {
  const created = await createClsm(t.ctx.db, name, t.ctx.charters);
  const coordinator = await finish(t.app, await enrollWithCode(t.app, created.coordinatorCode), true);
  return { clsmId: created.clsmId, coordinator };
}

/** Invites (as the coordinator), enrolls, logs in and, unless told otherwise, accepts the charter. */
export async function addMember(
  t: TestApp,
  coordinator: TestMember,
  role: Role,
  options: { acceptCharter?: boolean; organisation?: string } = {},
): Promise<TestMember> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/members/invitations',
    headers: coordinator.headers,
    payload: { role, organisation: options.organisation ?? `Org ${role}`, displayName: `Member ${role}` },
  });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  return finish(
    t.app,
    await enrollWithCode(t.app, res.json<{ code: string }>().code),
    options.acceptCharter ?? true,
  );
}

/** The SDK as a member's device sees it: over a real HTTP port, with its own keys and pins. */
export function sdkFor(serverUrl: string, member: TestMember): ClsmClient {
  return new ClsmClient({ serverUrl, clsmId: member.clsmId, memberId: member.id, keys: member.keys });
}

/** Starts listening on a random loopback port; returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}
