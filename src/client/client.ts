import { fromBase64, toBase64 } from '../crypto/encoding.js';
import {
  generateDeviceKeys,
  publicDeviceKeys,
  signDetached,
  verifySelfSignature,
  type DeviceKeys,
  type PublicDeviceKeys,
} from '../crypto/device-keys.js';
import { loginMessage } from '../crypto/messages.js';
import { ApiError, HttpClient } from './http.js';
import { BadKeysError, KeyChangedError, KeyPins, notSelfSigned } from './pins.js';
import { Cases } from './cases.js';
import { Consent } from './consent.js';
import { Sittings } from './sittings.js';
import { inMemoryHandovers, type HandoverMemory } from './handover.js';
import { fromWire, type Member, type MemberWire } from './member.js';
import {
  checkAuditHead,
  inMemoryCheckpoints,
  type CheckpointMemory,
  type HeadAnswer,
} from './audit-memory.js';
import type { z } from 'zod';
import type { accessTokenSchema, challengeSchema, meSchema } from '../auth/wire-schema.js';
import type { charterSchema } from '../charter/wire-schema.js';
import type { enrolledSchema, invitationSchema, issuedCodeSchema } from '../members/wire-schema.js';

export type { Member } from './member.js';

// The SDK: a typed client over the HTTP API. It logs in by itself with the device key, checks every
// colleague key against its pins, and (in the domain modules) does all encryption and verification.

export interface Identity {
  serverUrl: string;
  clsmId: string;
  memberId: string;
  keys: DeviceKeys;
}

export interface AccessToken {
  value: string;
  expiresAt: Date;
}

export type Me = z.output<typeof meSchema>;

const b64 = toBase64;
const unb64 = fromBase64;

export interface ClientOptions {
  pins?: KeyPins;
  token?: AccessToken | undefined;
  /** Called with each new access token (the CLI caches it in its profile). */
  onToken?: (token: AccessToken) => void;
  /** The latest audit checkpoint this device saw, per CLSM (in memory unless the caller keeps it). */
  checkpoints?: CheckpointMemory;
  /** Whom this device handed each situation's keys to (in memory unless the caller keeps it). */
  handovers?: HandoverMemory;
}

export class ClsmClient {
  readonly http: HttpClient;
  readonly pins: KeyPins;
  readonly cases: Cases;
  readonly consent: Consent;
  readonly sittings: Sittings;
  readonly handovers: HandoverMemory;
  private token: AccessToken | undefined;
  private readonly checkpoints: CheckpointMemory;
  private headChecked: Promise<void> | undefined;

  constructor(
    readonly identity: Identity,
    private readonly options: ClientOptions = {},
  ) {
    this.http = new HttpClient(identity.serverUrl);
    this.pins = options.pins ?? new KeyPins();
    this.token = options.token;
    this.checkpoints = options.checkpoints ?? inMemoryCheckpoints();
    this.handovers = options.handovers ?? inMemoryHandovers();
    this.cases = new Cases(this);
    this.consent = new Consent(this);
    this.sittings = new Sittings(this);
  }

  /**
   * Redeems an enrollment code with fresh device keys, self-signed for the CLSM and member id the
   * invitation names. With OIDC, pass the provider's token.
   */
  static async enroll(
    serverUrl: string,
    code: string,
    options: { oidcToken?: string } = {},
  ): Promise<{ identity: Identity; me: Omit<Me, 'charterAccepted'> }> {
    const http = new HttpClient(serverUrl);
    const invitation = await http.json<z.output<typeof invitationSchema>>('POST', '/v1/enroll/invitation', {
      body: { code },
    });
    const keys = await generateDeviceKeys();
    const pub = await publicDeviceKeys(keys, { clsmId: invitation.tenantId, memberId: invitation.memberId });
    const res = await http.json<z.output<typeof enrolledSchema>>('POST', '/v1/enroll', {
      token: options.oidcToken,
      body: {
        code,
        signPublicKey: b64(pub.signPublicKey),
        boxPublicKey: b64(pub.boxPublicKey),
        keySignature: b64(pub.selfSignature),
      },
    });
    // The keys are signed for the invitation's ids: an identity under other ids could never be used.
    if (res.tenantId !== invitation.tenantId || res.memberId !== invitation.memberId)
      throw new BadKeysError('the server enrolled this device under other ids than the invitation named');
    return { identity: { serverUrl, clsmId: res.tenantId, memberId: res.memberId, keys }, me: res };
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
   * The directory, each member's keys checked for their self-signature and against the pins. A
   * member whose keys fail is kept, flagged (`keysRefused`) and without keys: one bad entry does
   * not stop the device from working with everyone else.
   */
  async members(): Promise<Member[]> {
    const out: Member[] = [];
    for (const m of await this.directory()) {
      const member: Member = {
        id: m.id,
        role: m.role,
        organisation: m.organisation,
        displayName: m.displayName,
        status: m.status,
        keys: undefined,
      };
      if (m.keys !== null) {
        try {
          member.keys = await this.pins.check(this.ownerOf(m.id), fromWire(m.keys));
        } catch (err) {
          if (!(err instanceof BadKeysError || err instanceof KeyChangedError)) throw err;
          member.keysRefused = err;
        }
      }
      out.push(member);
    }
    return out;
  }

  /** The keys the server offers for a member, self-signature checked but NOT held against the pins. */
  async offeredKeys(memberId: string): Promise<PublicDeviceKeys> {
    const m = (await this.directory()).find((x) => x.id === memberId);
    if (m?.keys == null) throw new Error(`member ${memberId} has no registered keys`);
    const keys = fromWire(m.keys);
    if (!(await verifySelfSignature(keys, this.ownerOf(memberId)))) throw notSelfSigned(memberId);
    return keys;
  }

  /** The whole directory as the server lists it, page after page. */
  private directory(): Promise<MemberWire[]> {
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

  /** One colleague's pinned keys (fetching the directory if they were never seen); refused keys throw. */
  async memberKeys(memberId: string): Promise<PublicDeviceKeys> {
    if (memberId === this.identity.memberId)
      return publicDeviceKeys(this.identity.keys, this.ownerOf(memberId));
    const member = (await this.members()).find((m) => m.id === memberId);
    if (member?.keysRefused !== undefined) throw member.keysRefused;
    if (member?.keys === undefined) throw new Error(`member ${memberId} has no registered keys`);
    return member.keys;
  }

  /** A member of this device's CLSM, as key self-signatures name them. */
  private ownerOf(memberId: string): { clsmId: string; memberId: string } {
    return { clsmId: this.identity.clsmId, memberId };
  }

  invite(
    role: string,
    organisation: string,
    displayName: string,
    partnerCategory?: string,
  ): Promise<z.output<typeof issuedCodeSchema>> {
    return this.request('POST', '/v1/members/invitations', {
      role,
      organisation,
      displayName,
      ...(partnerCategory === undefined ? {} : { partnerCategory }),
    });
  }

  async charter(): Promise<z.output<typeof charterSchema>> {
    return this.request('GET', '/v1/charter');
  }

  async acceptCharter(version: number): Promise<void> {
    await this.request('POST', '/v1/charter/accept', { version });
  }
}
