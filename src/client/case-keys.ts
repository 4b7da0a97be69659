import { fromBase64, toBase64 } from '../crypto/encoding.js';
import { newCompartmentKey } from '../crypto/entries.js';
import { openGrant, sealGrant } from '../crypto/grants.js';
import type { ClsmClient } from './client.js';
import type { Cases } from './cases.js';
import type { Compartment, WireGrant } from './case-wire.js';
import { entitledHolders, mayHoldKey, type EntitlementFacts } from './entitled.js';
import { describeGrantee, type HandoverOptions } from './handover.js';
import {
  GrantsRefusedError,
  HandoverDeclinedError,
  NobodyEntitledError,
  NotEntitledError,
  UntrustedGrantError,
} from './key-refusals.js';
import { believes } from './grant-trust.js';
import { BadKeysError } from './trust-errors.js';
import { change, recipientList } from '../crypto/case-log-statements.js';
import type { CaseLogState } from '../crypto/case-log-state.js';
import { factsFromLog, latestKey } from './log-facts.js';

// Compartment keys on the device: created, sealed to colleagues, opened from grants (after
// checking the granter's signature), and rotated. Opened keys live only in this process's memory.
// Whom a key is sealed to, and whose grant is believed, the device decides itself from the
// situation's verified membership log and the need-to-know table (src/client/entitled.ts), not from
// the server's lists.

/** An opened key and who granted it (the device itself, for the keys it created). */
interface HeldKey {
  key: Uint8Array;
  granterId: string;
}

export class CaseKeys {
  private readonly keyring = new Map<string, HeldKey>();
  /** Grants this device refused to open, by key id: why a version stays unreadable. */
  private readonly refused = new Map<string, UntrustedGrantError>();

  constructor(
    private readonly client: ClsmClient,
    private readonly cases: Cases,
  ) {}

  /** An opened key, if this device holds it. */
  held(caseId: string, compartment: Compartment, keyVersion: number): Uint8Array | undefined {
    return this.keyring.get(`${caseId}/${compartment}/${keyVersion}`)?.key;
  }

  /** Why this device holds no key for this version, if it refused the grant for it. */
  refusal(caseId: string, compartment: Compartment, keyVersion: number): UntrustedGrantError | undefined {
    return this.refused.get(`${caseId}/${compartment}/${keyVersion}`);
  }

  /**
   * The facts the device decides on: the participants, consent and exceptions in force by the
   * situation's verified membership log, and each member's role by the verified directory.
   */
  async facts(caseId: string): Promise<EntitlementFacts> {
    return (await this.known(caseId)).facts;
  }

  private async known(caseId: string): Promise<{ log: CaseLogState; facts: EntitlementFacts }> {
    const [log, members] = await Promise.all([this.client.caseLogs.current(caseId), this.client.members()]);
    const roles = new Map(members.map((m) => [m.id, m.role]));
    return { log, facts: factsFromLog(log, roles, Date.now()) };
  }

  /**
   * Creates the next key version, sealed to every participant the need-to-know table entitles to it
   * (computed here, from the facts), except those the verified directory log does not vouch for
   * (flagged in `members()`; the server does not expect a grant for them either). With `confirm`,
   * each member new to this device is shown first; one declined stops the rotation
   * (HandoverDeclinedError), since the server takes a new key only for every entitled member.
   */
  async rotate(caseId: string, compartment: Compartment, options: HandoverOptions = {}): Promise<number> {
    const { log, facts } = await this.known(caseId);
    const keyVersion = (latestKey(log, compartment)?.version ?? 0) + 1;
    const key = await newCompartmentKey();
    const entitled = entitledHolders(facts, compartment);
    if (entitled.length === 0) throw new NobodyEntitledError(compartment);
    const grants: Awaited<ReturnType<CaseKeys['sealFor']>>[] = [];
    for (const memberId of entitled) {
      const grant = await sealUnlessBadKeys(async () => {
        if (!(await this.confirmed(caseId, memberId, options)))
          throw new HandoverDeclinedError(memberId, compartment);
        return this.sealFor(caseId, compartment, keyVersion, key, memberId);
      });
      if (grant !== undefined) grants.push(grant);
    }
    const made = change('key', {
      compartments: [compartment],
      keyVersion,
      recipients: recipientList(grants),
    });
    await this.client.caseLogs.send(caseId, made, (log) =>
      this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/keys`, {
        keyVersion,
        grants,
        log,
      }),
    );
    this.keyring.set(`${caseId}/${compartment}/${keyVersion}`, {
      key,
      granterId: this.client.identity.memberId,
    });
    for (const g of grants) await this.client.handovers.remember(caseId, g.granteeId);
    return keyVersion;
  }

  /**
   * Grants the keys this member holds to the entitled members who lack them (bad directory entries
   * skipped). The server's `pendingGrants` only says who waits: each is checked against the table
   * here, and one who may not hold the key is refused (GrantsRefusedError, thrown once the others
   * have their keys). With `confirm`, the user is shown each member new to this device first.
   */
  async shareKeys(caseId: string, options: HandoverOptions = {}): Promise<number> {
    const view = await this.cases.view(caseId);
    const facts = await this.facts(caseId);
    const refused: NotEntitledError[] = [];
    const declined = new Set<string>();
    let given = 0;
    for (const pending of view.pendingGrants) {
      if (!mayHoldKey(facts, pending.memberId, pending.compartment)) {
        refused.push(new NotEntitledError(pending.memberId, pending.compartment));
        continue;
      }
      if (declined.has(pending.memberId)) continue;
      const key = await this.current(caseId, pending.compartment, pending.keyVersion, facts);
      const grant = await sealUnlessBadKeys(async () => {
        if (!(await this.confirmed(caseId, pending.memberId, options))) return undefined;
        return this.sealFor(caseId, pending.compartment, pending.keyVersion, key, pending.memberId);
      });
      if (grant === undefined) {
        declined.add(pending.memberId);
        continue;
      }
      await this.client.request('POST', `/v1/cases/${caseId}/compartments/${pending.compartment}/grants`, {
        keyVersion: pending.keyVersion,
        ...grant,
      });
      await this.client.handovers.remember(caseId, pending.memberId);
      given += 1;
    }
    if (refused.length > 0) throw new GrantsRefusedError(refused, given);
    return given;
  }

  /**
   * Seals a key to one member and gives it to them, if the table entitles them to it here
   * (NotEntitledError otherwise); the server checks again. `confirm` as for shareKeys.
   */
  async grant(
    caseId: string,
    compartment: Compartment,
    memberId: string,
    keyVersion: number,
    options: HandoverOptions = {},
  ): Promise<void> {
    const facts = await this.facts(caseId);
    if (!mayHoldKey(facts, memberId, compartment)) throw new NotEntitledError(memberId, compartment);
    if (!(await this.confirmed(caseId, memberId, options))) return;
    const key = await this.current(caseId, compartment, keyVersion, facts);
    const grant = await this.sealFor(caseId, compartment, keyVersion, key, memberId);
    await this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/grants`, {
      keyVersion,
      ...grant,
    });
    await this.client.handovers.remember(caseId, memberId);
  }

  /** Whether the user agrees to hand keys to this member (asked once per situation and member). */
  private async confirmed(caseId: string, memberId: string, options: HandoverOptions): Promise<boolean> {
    if (options.confirm === undefined || memberId === this.client.identity.memberId) return true;
    if (await this.client.handovers.has(caseId, memberId)) return true;
    const yes = await options.confirm(await describeGrantee(this.client, caseId, memberId));
    if (yes) await this.client.handovers.remember(caseId, memberId);
    return yes;
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
      sealedKey: toBase64(signed.sealedKey),
      signature: toBase64(signed.signature),
    };
  }

  /**
   * The key to write under, or to seal to others: only one this device created, or one granted by
   * a member who may hold it now, by the verified log. Any other is refused (UntrustedGrantError):
   * what is written under it could be read by its granter.
   */
  async current(
    caseId: string,
    compartment: Compartment,
    keyVersion: number,
    known?: EntitlementFacts,
  ): Promise<Uint8Array> {
    const id = `${caseId}/${compartment}/${keyVersion}`;
    if (!this.keyring.has(id)) await this.cases.openGrants(caseId, compartment);
    const held = this.keyring.get(id);
    if (held === undefined) {
      throw (
        this.refused.get(id) ?? new Error(`you do not hold version ${keyVersion} of the ${compartment} key`)
      );
    }
    if (held.granterId === this.client.identity.memberId) return held.key;
    const facts = known ?? (await this.facts(caseId));
    if (!mayHoldKey(facts, held.granterId, compartment))
      throw new UntrustedGrantError(held.granterId, compartment, keyVersion);
    return held.key;
  }

  /**
   * Opens the grants of a compartment page this device does not hold yet, each only if its granter
   * may have held the key (`believes`); a refused one is remembered (`refusal`) and its key unused.
   */
  async openAll(caseId: string, compartment: Compartment, grants: readonly WireGrant[]): Promise<void> {
    const fresh = grants.filter((g) => !this.keyring.has(`${caseId}/${compartment}/${g.keyVersion}`));
    if (fresh.length === 0) return;
    const known = await this.known(caseId);
    for (const g of fresh) {
      try {
        await this.open(caseId, compartment, g, known);
      } catch (err) {
        if (!(err instanceof UntrustedGrantError)) throw err;
        this.refused.set(`${caseId}/${compartment}/${g.keyVersion}`, err);
      }
    }
  }

  /**
   * Opens one grant to this device after checking that its granter may have held the key
   * (UntrustedGrantError otherwise) and the granter's signature over it.
   */
  async open(
    caseId: string,
    compartment: Compartment,
    g: WireGrant,
    known?: { log: CaseLogState; facts: EntitlementFacts },
  ): Promise<void> {
    const id = `${caseId}/${compartment}/${g.keyVersion}`;
    if (this.keyring.has(id)) return;
    const me = this.client.identity;
    if (g.granterId !== me.memberId) {
      const { log, facts } = known ?? (await this.known(caseId));
      if (!believes(log, facts, compartment, g))
        throw new UntrustedGrantError(g.granterId, compartment, g.keyVersion);
    }
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
        sealedKey: fromBase64(g.sealedKey),
        signature: fromBase64(g.signature),
      },
      granter.signPublicKey,
      { publicKey: me.keys.boxPublicKey, secretKey: me.keys.boxSecretKey },
    );
    this.refused.delete(id);
    this.keyring.set(id, { key, granterId: g.granterId });
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
