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
import { parseInvitationCode, redeemToken } from '../../src/crypto/invitation-code.js';
import { ClsmClient } from '../../src/client/client.js';
import type { TestApp } from './app.js';
import { anchorOf, certifyWithSas, inviteRequest, newcomerSas, signRoot } from './directory.js';
import { mustNotLeak } from './app.js';

export interface TestMember {
  id: string;
  clsmId: string;
  role: Role;
  keys: DeviceKeys;
  token: string;
  headers: { authorization: string };
  /** The first 16 bytes of the CLSM root's fingerprint digest: this member's trust anchor. */
  anchor: Uint8Array;
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

/**
 * Enrolls a new device with a code as `clsm enroll` does: an invitation code made by an inviter's
 * device is replaced by its redeem token; a first coordinator's code is sent as it is.
 */
export async function enrollWithCode(
  app: FastifyInstance,
  given: string,
): Promise<{ memberId: string; clsmId: string; role: Role; keys: DeviceKeys }> {
  mustNotLeak(given);
  const invited = parseInvitationCode(given);
  const code = invited === undefined ? given : await redeemToken(invited.secret);
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
  anchor: Uint8Array | undefined,
): Promise<TestMember> {
  const token = await loginAs(app, enrolled.clsmId, enrolled.memberId, enrolled.keys);
  const member: TestMember = {
    id: enrolled.memberId,
    clsmId: enrolled.clsmId,
    role: enrolled.role,
    keys: enrolled.keys,
    token,
    headers: { authorization: `Bearer ${token}` },
    anchor: anchor ?? (await anchorOf(enrolled)),
  };
  if (charter) await acceptCharter(app, member);
  return member;
}

/**
 * A new CLSM and its first coordinator, enrolled, logged in and bound by the charter, whose device
 * signed the CLSM's root.
 */
export async function newClsm(
  t: TestApp,
  name = 'CLSM de Test',
): Promise<{ clsmId: string; coordinator: TestMember }> {
  const created = await createClsm(t.ctx.db, name, t.ctx.charters);
  const coordinator = await finish(
    t.app,
    await enrollWithCode(t.app, created.coordinatorCode),
    true,
    undefined,
  );
  await signRoot(t.app, coordinator, {
    role: 'coordinator',
    organisation: name,
    displayName: 'Coordination',
  });
  return { clsmId: created.clsmId, coordinator };
}

/**
 * An invitation made by the coordinator's device, through the API: the code it shows, the redeem
 * token the newcomer's device sends in its place, the secret both derive the short string from.
 */
export async function invite(
  app: FastifyInstance,
  coordinator: TestMember,
  card: { role: Role; organisation: string; displayName: string; partnerCategory?: string },
): Promise<{ code: string; token: string; secret: Uint8Array; memberId: string }> {
  const invitation = await inviteRequest(coordinator, coordinator.anchor, card);
  mustNotLeak(invitation.code, invitation.token);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/members/invitations',
    headers: coordinator.headers,
    payload: invitation.body,
  });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  return { ...invitation, memberId: res.json<{ memberId: string }>().memberId };
}

/**
 * A new member as a coordinator brings one in: the coordinator's device makes the invitation code,
 * the newcomer enrolls with it and reads out the short authentication string, the coordinator's
 * device certifies the keys the server registered if the strings match. Logged in and, unless told
 * otherwise, bound by the charter. `certified: false` stops before the certificate.
 */
export async function addMember(
  t: TestApp,
  coordinator: TestMember,
  role: Role,
  options: { acceptCharter?: boolean; organisation?: string; certified?: boolean } = {},
): Promise<TestMember> {
  const card = { role, organisation: options.organisation ?? `Org ${role}`, displayName: `Member ${role}` };
  const invitation = await invite(t.app, coordinator, card);
  const member = await finish(
    t.app,
    await enrollWithCode(t.app, invitation.token),
    options.acceptCharter ?? true,
    coordinator.anchor,
  );
  if (options.certified === false) return member;
  const certified = await certifyWithSas(
    t.app,
    coordinator,
    member.id,
    await newcomerSas(invitation.secret, member),
  );
  if (certified.statusCode !== 201)
    throw new Error(`certify failed: ${certified.statusCode} ${certified.body}`);
  return member;
}

/** The SDK as a member's device sees it: over a real HTTP port, with its own keys and trust anchor. */
export function sdkFor(serverUrl: string, member: TestMember): ClsmClient {
  return new ClsmClient(
    { serverUrl, clsmId: member.clsmId, memberId: member.id, keys: member.keys },
    { anchor: member.anchor },
  );
}

/** Starts listening on a random loopback port; returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

/**
 * The person a situation is about, as a participant brings them in with them present: the
 * participant's device makes the code from the situation, the person enrolls with it and reads out
 * the short string, the participant's device certifies their keys and (unless `added: false`) adds
 * them to the situation with their own space. The person accepts no charte.
 */
export async function addPerson(
  t: TestApp,
  url: string,
  inviter: TestMember,
  caseId: string,
  options: { added?: boolean } = {},
): Promise<TestMember> {
  const card = { role: 'person' as const, organisation: '-', displayName: '-' };
  const { body, token, secret } = await inviteRequest(inviter, inviter.anchor, card);
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/person-invitations`,
    headers: inviter.headers,
    payload: { invitationId: body.invitationId, codeHash: body.codeHash },
  });
  if (res.statusCode !== 201) throw new Error(`person invitation failed: ${res.statusCode} ${res.body}`);
  const person = await finish(t.app, await enrollWithCode(t.app, token), false, inviter.anchor);
  const certified = await certifyWithSas(t.app, inviter, person.id, await newcomerSas(secret, person));
  if (certified.statusCode !== 201)
    throw new Error(`certify failed: ${certified.statusCode} ${certified.body}`);
  if (options.added !== false) await sdkFor(url, inviter).cases.addParticipant(caseId, person.id, ['person']);
  return person;
}
