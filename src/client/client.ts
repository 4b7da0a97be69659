import { fromBase64, toBase64 } from '../crypto/encoding.js';
import {
  fingerprintDigest,
  fingerprintText,
  generateDeviceKeys,
  publicDeviceKeys,
  signDetached,
} from '../crypto/device-keys.js';
import type { CertifiedKeys } from '../crypto/directory-replay.js';
import { parseInvitationCode, redeemToken, shortAuthenticationString } from '../crypto/invitation-code.js';
import { loginMessage } from '../crypto/messages.js';
import { ApiError, HttpClient } from './http.js';
import { BadKeysError, UncertifiedMemberError } from './trust-errors.js';
import { AuditFiles } from './audit-files.js';
import { Cases } from './cases.js';
import { Consent } from './consent.js';
import { Sittings } from './sittings.js';
import { VerifiedDirectory } from './directory.js';
import { DirectoryWriter } from './directory-writer.js';
import { CaseLogs } from './case-log.js';
import { inMemoryHandovers, type HandoverMemory } from './handover.js';
import { memberFrom, type Member, type MemberWire } from './member.js';
import { Coordination } from './coordination.js';
import {
  checkAuditHead,
  inMemoryCheckpoints,
  type CheckpointMemory,
  type HeadAnswer,
} from './audit-memory.js';
import type { z } from 'zod';
import type { accessTokenSchema, challengeSchema } from '../auth/wire-schema.js';
import type { charterSchema } from '../charter/wire-schema.js';
import type { enrolledSchema, invitationSchema } from '../members/wire-schema.js';
import type { directoryPageSchema } from '../directory/wire-schema.js';

import type { AccessToken, ClientOptions, Enrolled, Identity, Me } from './identity.js';

export type { AccessToken, ClientOptions, Enrolled, Identity, Me } from './identity.js';
export type { Member } from './member.js';
export type { CharterVersion, ClsmSettings } from './coordination.js';

// The SDK: a typed client over the HTTP API. It logs in by itself with the device key, takes every
// colleague's keys from the CLSM's directory log verified back to its root (docs/adr/0016), and (in
// the domain modules) does all encryption and verification.

const b64 = toBase64;
const unb64 = fromBase64;

export class ClsmClient {
  readonly http: HttpClient;
  readonly directory: VerifiedDirectory;
  /** Each situation's membership log, verified against the directory and kept for this login. */
  readonly caseLogs: CaseLogs;
  readonly directoryWriter: DirectoryWriter;
  readonly cases: Cases;
  readonly audit: AuditFiles;
  readonly consent: Consent;
  readonly sittings: Sittings;
  readonly coordination: Coordination;
  readonly handovers: HandoverMemory;
  private token: AccessToken | undefined;
  private readonly checkpoints: CheckpointMemory;
  private headChecked: Promise<void> | undefined;

  constructor(
    readonly identity: Identity,
    private readonly options: ClientOptions = {},
  ) {
    this.http = new HttpClient(identity.serverUrl);
    this.directory = new VerifiedDirectory(
      {
        clsmId: identity.clsmId,
        memberId: identity.memberId,
        ownKeys: identity.keys,
        page: (after) =>
          this.request<z.output<typeof directoryPageSchema>>(
            'GET',
            `/v1/directory${after === undefined ? '' : `?after=${after}`}`,
          ),
      },
      options.anchor,
      options.directoryHead,
      options.onDirectoryHead,
    );
    this.directoryWriter = new DirectoryWriter(this);
    this.caseLogs = new CaseLogs(this);
    this.token = options.token;
    this.checkpoints = options.checkpoints ?? inMemoryCheckpoints();
    this.handovers = options.handovers ?? inMemoryHandovers();
    this.cases = new Cases(this);
    this.audit = new AuditFiles(this);
    this.consent = new Consent(this);
    this.sittings = new Sittings(this);
    this.coordination = new Coordination(this);
  }

  /**
   * Redeems an enrollment code with fresh device keys, self-signed for the CLSM and member id the
   * invitation names. An invitation code (made by the inviter's device) gives the trust anchor and
   * the short authentication string to read back to the inviter; the first coordinator's code (made
   * by the server) makes this device the CLSM's root, whose statement it signs at once. With OIDC,
   * pass the provider's token.
   */
  static async enroll(
    serverUrl: string,
    code: string,
    options: { oidcToken?: string } = {},
  ): Promise<Enrolled> {
    const http = new HttpClient(serverUrl);
    const invited = parseInvitationCode(code);
    const sent = invited === undefined ? code : await redeemToken(invited.secret);
    const invitation = await http.json<z.output<typeof invitationSchema>>('POST', '/v1/enroll/invitation', {
      body: { code: sent },
    });
    const keys = await generateDeviceKeys();
    const pub = await publicDeviceKeys(keys, { clsmId: invitation.tenantId, memberId: invitation.memberId });
    const res = await http.json<z.output<typeof enrolledSchema>>('POST', '/v1/enroll', {
      token: options.oidcToken,
      body: {
        code: sent,
        signPublicKey: b64(pub.signPublicKey),
        boxPublicKey: b64(pub.boxPublicKey),
        keySignature: b64(pub.selfSignature),
      },
    });
    // The keys are signed for the invitation's ids: an identity under other ids could never be used.
    if (res.tenantId !== invitation.tenantId || res.memberId !== invitation.memberId)
      throw new BadKeysError('the server enrolled this device under other ids than the invitation named');
    const identity = { serverUrl, clsmId: res.tenantId, memberId: res.memberId, keys };
    if (invited !== undefined) {
      const owner = { clsmId: res.tenantId, memberId: res.memberId };
      return {
        identity,
        me: res,
        anchor: invited.anchor,
        rootFingerprint: fingerprintText(invited.anchor),
        sas: await shortAuthenticationString(invited.secret, owner, keys.signPublicKey, keys.boxPublicKey),
      };
    }
    const anchor = (await fingerprintDigest(keys.signPublicKey, keys.boxPublicKey)).slice(0, 16);
    const client = new ClsmClient(identity, { anchor });
    await client.directoryWriter.signRoot(res);
    await client.logout();
    return { identity, me: res, anchor, rootFingerprint: fingerprintText(anchor) };
  }

  async login(): Promise<AccessToken> {
    const { clsmId, memberId, keys } = this.identity;
    const challenge = await this.http.json<z.output<typeof challengeSchema>>('POST', '/v1/auth/challenge', {
      body: { tenantId: clsmId, memberId },
    });
    const signature = await signDetached(
      loginMessage(clsmId, memberId, challenge.challengeId, unb64(challenge.nonce)),
      keys.signSecretKey,
    );
    const res = await this.http.json<z.output<typeof accessTokenSchema>>('POST', '/v1/auth/login', {
      body: { tenantId: clsmId, memberId, challengeId: challenge.challengeId, signature: b64(signature) },
    });
    this.token = { value: res.accessToken, expiresAt: new Date(res.expiresAt) };
    this.options.onToken?.(this.token);
    return this.token;
  }

  /**
   * An authenticated request; logs in when there is no valid token, and once more if it was refused.
   * Before the first one, the audit log's head is held against what this device saw before.
   */
  async request<T>(method: string, path: string, body?: unknown, accept?: string): Promise<T> {
    this.headChecked ??= this.checkAuditHead();
    await this.headChecked;
    return this.authenticated<T>(method, path, body, accept);
  }

  /** Refuses a CLSM whose audit log went backwards since this device last looked (AuditRollbackError). */
  checkAuditHead(): Promise<void> {
    return checkAuditHead(this.identity.clsmId, this.checkpoints, (known) =>
      this.authenticated<HeadAnswer>('GET', `/v1/audit/head${known === undefined ? '' : `?known=${known}`}`),
    );
  }

  private async authenticated<T>(method: string, path: string, body?: unknown, accept?: string): Promise<T> {
    if (this.token === undefined || this.token.expiresAt.getTime() - Date.now() < 30_000) await this.login();
    try {
      return await this.http.json<T>(method, path, { body, accept, token: this.token?.value });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'TOKEN_INVALID') throw err;
      await this.login();
      return this.http.json<T>(method, path, { body, accept, token: this.token?.value });
    }
  }

  /**
   * A valid access token for a server that accepts the API's tokens (the statistics server);
   * `renew` logs in again, after such a server refused the token.
   */
  async accessToken(options: { renew?: boolean } = {}): Promise<string> {
    const current = this.token;
    const fresh =
      options.renew !== true && current !== undefined && current.expiresAt.getTime() - Date.now() >= 30_000;
    return (fresh ? current : await this.login()).value;
  }

  async raw(method: string, path: string, accept: string): Promise<string> {
    if (this.token === undefined || this.token.expiresAt.getTime() - Date.now() < 30_000) await this.login();
    const response = await this.http.send(method, path, { accept, token: this.token?.value });
    return response.text();
  }

  async logout(): Promise<void> {
    if (this.token === undefined) return;
    await this.http.json('POST', '/v1/auth/logout', { token: this.token.value });
    this.token = undefined;
  }

  me(): Promise<Me> {
    return this.request<Me>('GET', '/v1/me');
  }

  /**
   * The directory as the verified log vouches for it: each certified member with their certified
   * role, organisation, name, status and keys. A member the server lists but the log does not vouch
   * for (never certified, or invented by the server), and a suspended one, are kept, flagged
   * (`keysRefused`) and without keys: they do not stop the device from working with everyone else.
   */
  async members(): Promise<Member[]> {
    const [listed, state] = await Promise.all([this.listing(), this.directory.current()]);
    const out = listed.map((m) => memberFrom(state, m.id, m));
    for (const id of state.members.keys())
      if (!listed.some((m) => m.id === id)) out.push(memberFrom(state, id, undefined));
    return out;
  }

  /** The members as the server lists them (with its view of their keys): not to be trusted as such. */
  listing(): Promise<MemberWire[]> {
    return this.all<MemberWire>('/v1/members', 'members');
  }

  /**
   * Every item of a paged list: follows `nextCursor` until the last page. `path` may carry its own
   * query (filters); `field` names the items in each page.
   */
  async all<T>(path: string, field: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const url: string =
        cursor === null
          ? path
          : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
      const page = await this.request<Record<string, unknown>>('GET', url);
      out.push(...((page[field] ?? []) as T[]));
      cursor = (page.nextCursor as string | null | undefined) ?? null;
    } while (cursor !== null);
    return out;
  }

  /**
   * One colleague's current certified keys; throws UncertifiedMemberError for a member the verified
   * log does not vouch for (never certified, invented by the server, or suspended).
   */
  async memberKeys(memberId: string): Promise<CertifiedKeys> {
    if (memberId === this.identity.memberId) return this.identity.keys;
    const m = (await this.directory.current()).members.get(memberId);
    if (m === undefined) throw new UncertifiedMemberError(memberId, 'not-certified');
    if (m.status === 'suspended') throw new UncertifiedMemberError(memberId, 'suspended');
    return m.keys.get(m.keyVersion) as CertifiedKeys;
  }

  /** A member of this device's CLSM, as key self-signatures name them. */
  ownerOf(memberId: string): { clsmId: string; memberId: string } {
    return { clsmId: this.identity.clsmId, memberId };
  }

  /** Invites a member with a code this device makes (DirectoryWriter.invite). */
  invite(role: string, organisation: string, displayName: string, partnerCategory?: string) {
    return this.directoryWriter.invite({ role, organisation, displayName, partnerCategory });
  }

  async charter(): Promise<z.output<typeof charterSchema>> {
    return this.request('GET', '/v1/charter');
  }

  async acceptCharter(version: number): Promise<void> {
    await this.request('POST', '/v1/charter/accept', { version });
  }
}
