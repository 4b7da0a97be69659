import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import type { DeviceKeys } from '../../src/crypto/device-keys.js';
import { fingerprintDigest } from '../../src/crypto/device-keys.js';
import {
  signStatement,
  statementHash,
  type DirectoryStatement,
} from '../../src/crypto/directory-statements.js';
import {
  formatInvitationCode,
  invitationSecret,
  redeemToken,
  redeemTokenHash,
  sameShortString,
  shortAuthenticationString,
} from '../../src/crypto/invitation-code.js';
import { statementFromWire, statementToWire } from '../../src/directory/wire-schema.js';
import type { DirectoryEntryWire } from '../../src/directory/wire-schema.js';

// The directory log as a coordinator's device writes it, over app.inject: the invitation code made
// on the inviter's side, the short authentication string on the newcomer's, the certificate signed
// only if both strings match. Tests certify every member this way, as a real coordinator does.

export interface Signer {
  id: string;
  clsmId: string;
  keys: DeviceKeys;
  headers: { authorization: string };
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The whole log, as the server serves it. */
export async function directoryLog(app: FastifyInstance, reader: Signer): Promise<DirectoryEntryWire[]> {
  const res = await app.inject({ method: 'GET', url: '/v1/directory', headers: reader.headers });
  if (res.statusCode !== 200) throw new Error(`directory read failed: ${res.statusCode} ${res.body}`);
  return res.json<{ entries: DirectoryEntryWire[] }>().entries;
}

export type StatementFields = Omit<DirectoryStatement, 'clsmId' | 'seq' | 'prevHash' | 'authorId'> &
  Partial<Pick<DirectoryStatement, 'seq' | 'prevHash'>>;

/** Signs a statement at the log's head with `author`'s key and posts it; returns the answer. */
export async function postStatement(
  app: FastifyInstance,
  author: Signer,
  fields: StatementFields,
  signWith: Uint8Array = author.keys.signSecretKey,
): Promise<LightMyRequestResponse> {
  const log = await directoryLog(app, author);
  const last = log.at(-1);
  const statement: DirectoryStatement = {
    clsmId: author.clsmId,
    seq: log.length,
    prevHash: last === undefined ? null : await statementHash(statementFromWire(author.clsmId, last)),
    authorId: author.id,
    ...fields,
  };
  const signed = await signStatement(statement, signWith);
  const { authorId: _author, ...body } = statementToWire(signed);
  return app.inject({ method: 'POST', url: '/v1/directory', headers: author.headers, payload: body });
}

async function mustPost(app: FastifyInstance, author: Signer, fields: StatementFields): Promise<void> {
  const res = await postStatement(app, author, fields);
  if (res.statusCode !== 201) throw new Error(`${fields.kind} refused: ${res.statusCode} ${res.body}`);
}

const none = {
  role: null,
  organisation: null,
  displayName: null,
  signPublicKey: null,
  boxPublicKey: null,
  keyVersion: null,
};

export interface Card {
  role: string;
  organisation: string;
  displayName: string;
}

/** The first coordinator's device signs the CLSM's root with its own keys. */
export function signRoot(app: FastifyInstance, coordinator: Signer, card: Card): Promise<void> {
  return mustPost(app, coordinator, {
    kind: 'root',
    subjectId: coordinator.id,
    ...card,
    signPublicKey: coordinator.keys.signPublicKey,
    boxPublicKey: coordinator.keys.boxPublicKey,
    keyVersion: coordinator.keys.version,
  });
}

/** The 16 bytes of the root's fingerprint digest an invitation code carries. */
export async function anchorOf(root: { keys: DeviceKeys }): Promise<Uint8Array> {
  return (await fingerprintDigest(root.keys.signPublicKey, root.keys.boxPublicKey)).slice(0, 16);
}

/** What the inviter's device sends to invite, and the code it shows. */
export async function inviteRequest(
  inviter: Signer,
  anchor: Uint8Array,
  card: Card & { partnerCategory?: string },
): Promise<{ body: Record<string, unknown>; code: string; token: string; secret: Uint8Array }> {
  const invitationId = globalThis.crypto.randomUUID();
  const secret = await invitationSecret(inviter.keys.signSecretKey, inviter.clsmId, invitationId);
  return {
    body: { ...card, invitationId, codeHash: b64(await redeemTokenHash(secret)) },
    code: formatInvitationCode({ secret, anchor }),
    token: await redeemToken(secret),
    secret,
  };
}

/** The same string over keys as the server registered them (a test standing in for the inviter). */
export function newcomerSasOver(
  secret: Uint8Array,
  clsmId: string,
  memberId: string,
  keys: { sign_public_key: Uint8Array; box_public_key: Uint8Array },
): Promise<string> {
  return shortAuthenticationString(secret, { clsmId, memberId }, keys.sign_public_key, keys.box_public_key);
}

/** The string the newcomer's device shows after enrolling, from the secret in its code. */
export function newcomerSas(
  secret: Uint8Array,
  newcomer: { clsmId: string; id: string; keys: DeviceKeys },
): Promise<string> {
  return shortAuthenticationString(
    secret,
    { clsmId: newcomer.clsmId, memberId: newcomer.id },
    newcomer.keys.signPublicKey,
    newcomer.keys.boxPublicKey,
  );
}

/**
 * The inviter's device certifies a newcomer: it derives the secret again from the invitation id the
 * server names, computes the string over the keys the server says they registered, and signs only
 * if it equals the one the newcomer read out.
 */
export async function certifyWithSas(
  app: FastifyInstance,
  inviter: Signer,
  memberId: string,
  typedSas: string,
): Promise<LightMyRequestResponse> {
  const m = await listed(app, inviter, memberId);
  if (m.invitationId === null || m.keys === null) throw new Error('not enrolled with an invitation code');
  const secret = await invitationSecret(inviter.keys.signSecretKey, inviter.clsmId, m.invitationId);
  const sign = Buffer.from(m.keys.signPublicKey, 'base64');
  const box = Buffer.from(m.keys.boxPublicKey, 'base64');
  const expected = await shortAuthenticationString(secret, { clsmId: inviter.clsmId, memberId }, sign, box);
  if (!sameShortString(typedSas, expected)) throw new Error('the short authentication strings differ');
  return postStatement(app, inviter, {
    kind: 'certify',
    subjectId: memberId,
    role: m.role,
    organisation: m.organisation,
    displayName: m.displayName,
    signPublicKey: sign,
    boxPublicKey: box,
    keyVersion: m.keys.version,
  });
}

interface Listed {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  invitationId: string | null;
  keys: { version: number; signPublicKey: string; boxPublicKey: string } | null;
}

/** The member as the directory lists them, following the pages (a test may make pages tiny). */
async function listed(app: FastifyInstance, reader: Signer, memberId: string): Promise<Listed> {
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await app.inject({
      method: 'GET',
      url: `/v1/members?limit=500${query}`,
      headers: reader.headers,
    });
    const page = res.json<{ members: Listed[]; nextCursor: string | null }>();
    const m = page.members.find((x) => x.id === memberId);
    if (m !== undefined) return m;
    cursor = page.nextCursor;
  } while (cursor !== null);
  throw new Error(`member ${memberId} is not listed`);
}

/** A coordinator's signed statement about a member: suspend, reinstate, role. */
export function sign(
  app: FastifyInstance,
  coordinator: Signer,
  kind: 'suspend' | 'reinstate' | 'role',
  subjectId: string,
  role?: string,
): Promise<LightMyRequestResponse> {
  return postStatement(app, coordinator, { ...none, kind, subjectId, role: role ?? null });
}

/** Suspends a member as a coordinator does now: a signed statement. Throws if refused. */
export async function suspend(app: FastifyInstance, coordinator: Signer, subjectId: string): Promise<void> {
  const res = await sign(app, coordinator, 'suspend', subjectId);
  if (res.statusCode !== 201) throw new Error(`suspend refused: ${res.statusCode} ${res.body}`);
}
