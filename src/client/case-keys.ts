import { fromBase64, toBase64 } from '../crypto/encoding.js';
import { newCompartmentKey } from '../crypto/entries.js';
import { openGrant, sealGrant } from '../crypto/grants.js';
import type { ClsmClient } from './client.js';
import type { Cases } from './cases.js';
import type { CaseView, Compartment, WireGrant } from './case-wire.js';
import { BadKeysError } from './trust-errors.js';

// Compartment keys on the device: created, sealed to colleagues, opened from grants (after
// checking the granter's signature), and rotated. Opened keys live only in this process's memory.

/** No participant of the situation may hold this compartment yet: a key sealed to nobody is refused. */
export class NobodyEntitledError extends Error {
  override name = 'NobodyEntitledError';
  constructor(readonly compartment: Compartment) {
    super(`nobody on this situation may hold the ${compartment} compartment yet`);
  }
}

const b64 = toBase64;
const unb64 = fromBase64;

export class CaseKeys {
  private readonly keyring = new Map<string, Uint8Array>();

  constructor(
    private readonly client: ClsmClient,
    private readonly cases: Cases,
  ) {}

  /** An opened key, if this device holds it. */
  held(caseId: string, compartment: Compartment, keyVersion: number): Uint8Array | undefined {
    return this.keyring.get(`${caseId}/${compartment}/${keyVersion}`);
  }

  /**
   * Creates the next key version, sealed to every member the server lists as entitled, except those
   * the verified directory log does not vouch for (flagged in `members()`; the server does not
   * expect a grant for them either).
   */
  async rotate(caseId: string, compartment: Compartment, view?: CaseView): Promise<number> {
    const v = view ?? (await this.cases.view(caseId));
    const state = v.compartments.find((c) => c.name === compartment);
    if (state === undefined) throw new Error(`unknown compartment ${compartment}`);
    const keyVersion = state.keyVersion + 1;
    const key = await newCompartmentKey();
    const entitled = v.participants
      .filter((p) => p.compartments.includes(compartment))
      .map((p) => p.memberId);
    if (entitled.length === 0) throw new NobodyEntitledError(compartment);
    const grants = [];
    for (const memberId of entitled) {
      const grant = await sealUnlessBadKeys(() =>
        this.sealFor(caseId, compartment, keyVersion, key, memberId),
      );
      if (grant !== undefined) grants.push(grant);
    }
    await this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/keys`, {
      keyVersion,
      grants,
    });
    this.keyring.set(`${caseId}/${compartment}/${keyVersion}`, key);
    return keyVersion;
  }

  /** Grants the keys this member holds to the entitled members who lack them (bad directory entries skipped). */
  async shareKeys(caseId: string): Promise<number> {
    const view = await this.cases.view(caseId);
    let given = 0;
    for (const pending of view.pendingGrants) {
      const key = await this.current(caseId, pending.compartment, pending.keyVersion);
      const grant = await sealUnlessBadKeys(() =>
        this.sealFor(caseId, pending.compartment, pending.keyVersion, key, pending.memberId),
      );
      if (grant === undefined) continue;
      await this.client.request('POST', `/v1/cases/${caseId}/compartments/${pending.compartment}/grants`, {
        keyVersion: pending.keyVersion,
        ...grant,
      });
      given += 1;
    }
    return given;
  }

  /** Seals a key to one member and gives it to them (the server refuses if they are not entitled). */
  async grant(caseId: string, compartment: Compartment, memberId: string, keyVersion: number): Promise<void> {
    const key = await this.current(caseId, compartment, keyVersion);
    const grant = await this.sealFor(caseId, compartment, keyVersion, key, memberId);
    await this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/grants`, {
      keyVersion,
      ...grant,
    });
  }

  private async sealFor(
    caseId: string,
    compartment: Compartment,
    keyVersion: number,
    key: Uint8Array,
    memberId: string,
  ) {
    const grantee = await this.client.memberKeys(memberId);
    const signed = await sealGrant(
      {
        caseId,
        compartment,
        keyVersion,
        granterId: this.client.identity.memberId,
        granteeId: memberId,
        granteeBoxPublicKey: grantee.boxPublicKey,
      },
      key,
      this.client.identity.keys.signSecretKey,
    );
    return {
      granteeId: memberId,
      granteeKeyVersion: grantee.version,
      sealedKey: b64(signed.sealedKey),
      signature: b64(signed.signature),
    };
  }

  async current(caseId: string, compartment: Compartment, keyVersion: number): Promise<Uint8Array> {
    const cached = this.keyring.get(`${caseId}/${compartment}/${keyVersion}`);
    if (cached !== undefined) return cached;
    await this.cases.openGrants(caseId, compartment);
    const key = this.keyring.get(`${caseId}/${compartment}/${keyVersion}`);
    if (key === undefined) throw new Error(`you do not hold version ${keyVersion} of the ${compartment} key`);
    return key;
  }

  async open(caseId: string, compartment: Compartment, g: WireGrant): Promise<void> {
    const id = `${caseId}/${compartment}/${g.keyVersion}`;
    if (this.keyring.has(id)) return;
    const me = this.client.identity;
    const granter = await this.client.memberKeys(g.granterId);
    const key = await openGrant(
      {
        context: {
          caseId,
          compartment,
          keyVersion: g.keyVersion,
          granterId: g.granterId,
          granteeId: me.memberId,
          granteeBoxPublicKey: me.keys.boxPublicKey,
        },
        sealedKey: unb64(g.sealedKey),
        signature: unb64(g.signature),
      },
      granter.signPublicKey,
      { publicKey: me.keys.boxPublicKey, secretKey: me.keys.boxSecretKey },
    );
    this.keyring.set(id, key);
  }
}

/** Seals, or skips a member the directory log does not vouch for (BadKeysError). */
async function sealUnlessBadKeys<T>(seal: () => Promise<T>): Promise<T | undefined> {
  try {
    return await seal();
  } catch (err) {
    if (err instanceof BadKeysError) return undefined;
    throw err;
  }
}
