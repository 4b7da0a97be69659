import { randomBytes } from 'node:crypto';
import { ClsmClient, type Identity } from '../../src/client/client.js';
import { openGrant } from '../../src/crypto/grants.js';
import type { ServerUnderTest } from './server-process.js';

// The benchmark's data, made the way members make it: CLSMs created by the operator's service
// function, every member enrolled, logged in and bound by the charter through the SDK, cases
// referred, participants added and entries written through the API. Keys and tokens stay in this
// process's memory: nothing here is ever logged or written out.

/** One CLSM with a member who refers a case and writes in its health compartment. */
export interface WriterClsm {
  clsmId: string;
  caseId: string;
  writer: Identity;
  /** The current health key of the case, opened from the writer's own grant. */
  healthKey: Uint8Array;
  keyVersion: number;
  /** One login session each: a bearer token per benchmark connection. */
  tokens: string[];
}

/** A case with ten participants of four roles, and a few entries, to read and to authorise. */
export interface ReadCase {
  caseId: string;
  entries: number;
}

const ENTRY_SIZE = 4096;

async function enrolled(apiUrl: string, code: string): Promise<ClsmClient> {
  return (await enrolledWithSas(apiUrl, code)).client;
}

async function enrolledWithSas(apiUrl: string, code: string): Promise<{ client: ClsmClient; sas?: string }> {
  const { identity, anchor, sas } = await ClsmClient.enroll(apiUrl, code);
  const client = new ClsmClient(identity, { anchor });
  const charter = await client.charter();
  await client.acceptCharter(charter.version);
  return sas === undefined ? { client } : { client, sas };
}

async function invited(
  apiUrl: string,
  coordinator: ClsmClient,
  role: string,
  n: number,
): Promise<ClsmClient> {
  const { code, memberId } = await coordinator.invite(role, `Organisation ${role}`, `${role} ${n}`);
  const { client, sas } = await enrolledWithSas(apiUrl, code);
  await coordinator.directoryWriter.certify(memberId, { sas: sas ?? '' });
  return client;
}

/** Opens the writer's own grant of the compartment key, as the SDK does before decrypting. */
async function ownKey(client: ClsmClient, caseId: string): Promise<{ key: Uint8Array; keyVersion: number }> {
  const res = await client.request<{
    keyVersion: number;
    grants: { keyVersion: number; granterId: string; sealedKey: string; signature: string }[];
  }>('GET', `/v1/cases/${caseId}/compartments/health/entries`);
  const grant = res.grants.find((g) => g.keyVersion === res.keyVersion);
  if (grant === undefined) throw new Error('the writer holds no grant of the current health key');
  const me = client.identity;
  const granter = await client.memberKeys(grant.granterId);
  const key = await openGrant(
    {
      context: {
        caseId,
        compartment: 'health',
        keyVersion: grant.keyVersion,
        granterId: grant.granterId,
        granteeId: me.memberId,
        granteeBoxPublicKey: me.keys.boxPublicKey,
      },
      sealedKey: Buffer.from(grant.sealedKey, 'base64'),
      signature: Buffer.from(grant.signature, 'base64'),
    },
    granter.signPublicKey,
    { publicKey: me.keys.boxPublicKey, secretKey: me.keys.boxSecretKey },
  );
  return { key, keyVersion: grant.keyVersion };
}

export async function prepareWriterClsm(
  server: ServerUnderTest,
  index: number,
  sessions: number,
): Promise<{ clsm: WriterClsm; coordinator: ClsmClient; writer: ClsmClient }> {
  const { clsmId, code } = await server.createClsm(`CLSM bench ${index + 1}`);
  const coordinator = await enrolled(server.apiUrl, code);
  const writer = await invited(server.apiUrl, coordinator, 'health_professional', 0);
  const { id: caseId } = await writer.cases.refer('rupture_soins', 'urgent');
  // The first write creates version 1 of the health key through the SDK (sealed, signed, granted).
  await writer.cases.write(caseId, 'health', randomBytes(ENTRY_SIZE));
  const { key, keyVersion } = await ownKey(writer, caseId);
  const tokens: string[] = [];
  for (let i = 0; i < sessions; i += 1) tokens.push((await new ClsmClient(writer.identity).login()).value);
  return {
    clsm: { clsmId, caseId, writer: writer.identity, healthKey: key, keyVersion, tokens },
    coordinator,
    writer,
  };
}

const READ_CASE_ROLES = [
  'health_professional',
  'health_professional',
  'social_worker',
  'social_worker',
  'social_worker',
  'partner',
  'partner',
  'partner',
  'coordinator',
];

/**
 * The referring health professional adds nine colleagues (ten participants), then writes `entries`
 * health entries: the key is sealed to the three health professionals only, as the policy says.
 */
export async function prepareReadCase(
  apiUrl: string,
  coordinator: ClsmClient,
  writer: ClsmClient,
  entries: number,
): Promise<ReadCase> {
  const { id: caseId } = await writer.cases.refer('incurie', 'soon');
  let n = 1;
  for (const role of READ_CASE_ROLES) {
    const member = await invited(apiUrl, coordinator, role, n++);
    await writer.cases.addParticipant(caseId, member.identity.memberId);
  }
  for (let i = 0; i < entries; i += 1) await writer.cases.write(caseId, 'health', randomBytes(ENTRY_SIZE));
  return { caseId, entries };
}
