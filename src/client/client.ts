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
import { BadKeysError, KeyPins } from './pins.js';
import { Cases } from './cases.js';
import { Consent } from './consent.js';
import { Sittings } from './sittings.js';

// The SDK: a typed client over the HTTP API. It logs in by itself with the device key, checks every
// colleague key against its pins, and (in the domain modules) does all encryption and verification.

export interface Identity {
  serverUrl: string;
  tenantId: string;
  memberId: string;
  keys: DeviceKeys;
}

export interface AccessToken {
  value: string;
  expiresAt: Date;
}

export interface Me {
  memberId: string;
  tenantId: string;
  role: string;
  organisation: string;
  charterAccepted: boolean;
}

export interface Member {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  keys: PublicDeviceKeys | undefined;
}

interface MemberWire {
  id: string;
  role: string;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  keys: { version: number; signPublicKey: string; boxPublicKey: string; selfSignature: string } | null;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export interface ClientOptions {
  pins?: KeyPins;
  token?: AccessToken | undefined;
  /** Called with each new access token (the CLI caches it in its profile). */
  onToken?: (token: AccessToken) => void;
}

export class ClsmClient {
  readonly http: HttpClient;
  readonly pins: KeyPins;
  readonly cases: Cases;
  readonly consent: Consent;
  readonly sittings: Sittings;
  private token: AccessToken | undefined;

  constructor(
    readonly identity: Identity,
    private readonly options: ClientOptions = {},
  ) {
    this.http = new HttpClient(identity.serverUrl);
    this.pins = options.pins ?? new KeyPins();
    this.token = options.token;
    this.cases = new Cases(this);
    this.consent = new Consent(this);
    this.sittings = new Sittings(this);
  }

  /** Redeems an enrollment code with fresh device keys. With OIDC, pass the provider's token. */
  static async enroll(
    serverUrl: string,
    code: string,
    options: { oidcToken?: string } = {},
  ): Promise<{ identity: Identity; me: Omit<Me, 'charterAccepted'> }> {
    const keys = await generateDeviceKeys();
    const pub = await publicDeviceKeys(keys);
    const res = await new HttpClient(serverUrl).json<{
      memberId: string;
      tenantId: string;
      role: string;
      organisation: string;
    }>('POST', '/v1/enroll', {
      token: options.oidcToken,
      body: {
        code,
        signPublicKey: b64(pub.signPublicKey),
        boxPublicKey: b64(pub.boxPublicKey),
        keySignature: b64(pub.selfSignature),
      },
    });
    return { identity: { serverUrl, tenantId: res.tenantId, memberId: res.memberId, keys }, me: res };
  }

  async login(): Promise<AccessToken> {
    const { tenantId, memberId, keys } = this.identity;
    const challenge = await this.http.json<{ challengeId: string; nonce: string }>(
      'POST',
      '/v1/auth/challenge',
      { body: { tenantId, memberId } },
    );
    const signature = await signDetached(
      loginMessage(tenantId, memberId, challenge.challengeId, unb64(challenge.nonce)),
      keys.signSecretKey,
    );
    const res = await this.http.json<{ accessToken: string; expiresAt: string }>('POST', '/v1/auth/login', {
      body: { tenantId, memberId, challengeId: challenge.challengeId, signature: b64(signature) },
    });
    this.token = { value: res.accessToken, expiresAt: new Date(res.expiresAt) };
    this.options.onToken?.(this.token);
    return this.token;
  }

  /** An authenticated request; logs in when there is no valid token, and once more if it was refused. */
  async request<T>(method: string, path: string, body?: unknown, accept?: string): Promise<T> {
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

  /** The directory, each member's keys checked against the pins (a changed key throws). */
  async members(): Promise<Member[]> {
    const res = await this.request<{ members: MemberWire[] }>('GET', '/v1/members');
    const out: Member[] = [];
    for (const m of res.members) {
      const keys =
        m.keys === null
          ? undefined
          : await this.pins.check(m.id, {
              version: m.keys.version,
              signPublicKey: unb64(m.keys.signPublicKey),
              boxPublicKey: unb64(m.keys.boxPublicKey),
              selfSignature: unb64(m.keys.selfSignature),
            });
      out.push({
        id: m.id,
        role: m.role,
        organisation: m.organisation,
        displayName: m.displayName,
        status: m.status,
        keys,
      });
    }
    return out;
  }

  /** The keys the server offers for a member, self-signature checked but NOT held against the pins. */
  async offeredKeys(memberId: string): Promise<PublicDeviceKeys> {
    const res = await this.request<{ members: MemberWire[] }>('GET', '/v1/members');
    const m = res.members.find((x) => x.id === memberId);
    if (m?.keys == null) throw new Error(`member ${memberId} has no registered keys`);
    const keys = {
      version: m.keys.version,
      signPublicKey: unb64(m.keys.signPublicKey),
      boxPublicKey: unb64(m.keys.boxPublicKey),
      selfSignature: unb64(m.keys.selfSignature),
    };
    if (!(await verifySelfSignature(keys)))
      throw new BadKeysError(`the keys served for member ${memberId} are not self-signed`);
    return keys;
  }

  /** One colleague's pinned keys (fetching the directory if they were never seen). */
  async memberKeys(memberId: string): Promise<PublicDeviceKeys> {
    if (memberId === this.identity.memberId) return publicDeviceKeys(this.identity.keys);
    const member = (await this.members()).find((m) => m.id === memberId);
    if (member?.keys === undefined) throw new Error(`member ${memberId} has no registered keys`);
    return member.keys;
  }

  invite(
    role: string,
    organisation: string,
    displayName: string,
    partnerCategory?: string,
  ): Promise<{ code: string; expiresAt: string }> {
    return this.request('POST', '/v1/members/invitations', {
      role,
      organisation,
      displayName,
      ...(partnerCategory === undefined ? {} : { partnerCategory }),
    });
  }

  async charter(): Promise<{ version: number; text: string; accepted: boolean }> {
    return this.request('GET', '/v1/charter');
  }

  async acceptCharter(version: number): Promise<void> {
    await this.request('POST', '/v1/charter/accept', { version });
  }
}
