import { fingerprint, verifySelfSignature } from '../crypto/device-keys.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';
import { headOf } from '../crypto/directory-replay.js';
import { signStatement, type DirectoryStatement } from '../crypto/directory-statements.js';
import {
  formatInvitationCode,
  invitationSecret,
  redeemTokenHash,
  sameShortString,
  shortAuthenticationString,
} from '../crypto/invitation-code.js';
import type { z } from 'zod';
import type { invitationIssuedSchema, issuedCodeSchema } from '../members/wire-schema.js';
import type { ClsmClient } from './client.js';
import type { MemberWire } from './member.js';
import { notSelfSigned, UncertifiedMemberError } from './trust-errors.js';

// What a coordinator's device writes to the directory log (docs/adr/0016): the root, invitations
// whose codes it makes, certificates signed only after the newcomer's short authentication string
// (or full fingerprint) matched, and signed role changes, suspensions and reinstatements.

/** The code the newcomer read out (or the fingerprint compared) is not the one these keys give. */
export class CertificationMismatchError extends Error {
  override name = 'CertificationMismatchError';
  constructor(readonly memberId: string) {
    super(
      `the keys the server registered for member ${memberId} do not give the code you compared: ` +
        'do not certify them (the server or someone else may have swapped them); tell your DPO',
    );
  }
}

export interface Card {
  role: string;
  organisation: string;
  displayName: string;
}

export interface IssuedInvitation {
  /** To hand to the newcomer: it carries the invitation's secret and the CLSM root's anchor. */
  code: string;
  invitationId: string;
  memberId: string;
  expiresAt: string;
}

/** How the inviter checked the newcomer's keys: the 4-symbol code they read out, or their whole fingerprint. */
export type Check = { sas: string } | { fingerprint: string };

type Fields = Omit<DirectoryStatement, 'clsmId' | 'seq' | 'prevHash' | 'authorId'>;

const NONE = {
  role: null,
  organisation: null,
  displayName: null,
  signPublicKey: null,
  boxPublicKey: null,
  keyVersion: null,
};

export class DirectoryWriter {
  constructor(private readonly client: ClsmClient) {}

  /**
   * This device's keys as the CLSM's root: the first coordinator's device, right after enrolling
   * (before the charter, so without reading the log: the root is its first statement).
   */
  async signRoot(card: Card): Promise<void> {
    const { memberId, keys } = this.client.identity;
    await this.post(
      {
        kind: 'root',
        subjectId: memberId,
        ...card,
        signPublicKey: keys.signPublicKey,
        boxPublicKey: keys.boxPublicKey,
        keyVersion: keys.version,
      },
      { first: true },
    );
  }

  /**
   * Invites a member with a code made here: a secret derived from this device's signing key and a
   * fresh invitation id, and the root's anchor. The server gets only the hash of its redeem token.
   */
  async invite(card: Card & { partnerCategory?: string | undefined }): Promise<IssuedInvitation> {
    return this.issueInvitation('/v1/members/invitations', {
      role: card.role,
      organisation: card.organisation,
      displayName: card.displayName,
      ...(card.partnerCategory === undefined ? {} : { partnerCategory: card.partnerCategory }),
    });
  }

  /**
   * Invites the person a situation is about to their own space, with them present: a code made here
   * as for a member; the server makes their card (the same for every person: nothing identifying).
   */
  async invitePerson(caseId: string): Promise<IssuedInvitation> {
    return this.issueInvitation(`/v1/cases/${encodeURIComponent(caseId)}/person-invitations`, {});
  }

  /** A code made here (a secret derived from this device's signing key, the root's anchor); the server gets the hash of its redeem token. */
  private async issueInvitation(path: string, card: object): Promise<IssuedInvitation> {
    const { clsmId, keys } = this.client.identity;
    const anchor = await this.client.directory.rootAnchor();
    const invitationId = globalThis.crypto.randomUUID();
    const secret = await invitationSecret(keys.signSecretKey, clsmId, invitationId);
    const issued = await this.client.request<z.output<typeof invitationIssuedSchema>>('POST', path, {
      ...card,
      invitationId,
      codeHash: toBase64(await redeemTokenHash(secret)),
    });
    return { code: formatInvitationCode({ secret, anchor }), ...issued };
  }

  /**
   * A one-time recovery code for a member who lost their device: with it and their passphrase,
   * their key backup opens on a new device; their new keys are then certified like a newcomer's.
   */
  async recoveryCode(memberId: string): Promise<z.output<typeof issuedCodeSchema>> {
    return this.client.request<z.output<typeof issuedCodeSchema>>(
      'POST',
      `/v1/members/${encodeURIComponent(memberId)}/recovery-codes`,
    );
  }

  /**
   * Certifies the keys the server registered for a member, after the check: the code they read out
   * (this device invited them) or their full fingerprint, compared in person or by phone. For a
   * certified member whose registered keys are newer (a new device), certifies those as a `device`.
   */
  async certify(memberId: string, check: Check): Promise<void> {
    const listed = (await this.client.listing()).find((m) => m.id === memberId);
    if (listed?.keys == null) throw new UncertifiedMemberError(memberId, 'not-certified');
    const keys = {
      version: listed.keys.version,
      signPublicKey: fromBase64(listed.keys.signPublicKey),
      boxPublicKey: fromBase64(listed.keys.boxPublicKey),
      selfSignature: fromBase64(listed.keys.selfSignature),
    };
    if (!(await verifySelfSignature(keys, this.client.ownerOf(memberId)))) throw notSelfSigned(memberId);
    if (!(await this.matches(listed, keys, check))) throw new CertificationMismatchError(memberId);
    const state = await this.client.directory.current();
    const known = state.members.get(memberId);
    const certified = {
      signPublicKey: keys.signPublicKey,
      boxPublicKey: keys.boxPublicKey,
      keyVersion: keys.version,
    };
    if (known === undefined)
      await this.post({
        kind: 'certify',
        subjectId: memberId,
        role: listed.role,
        organisation: listed.organisation,
        displayName: listed.displayName,
        ...certified,
      });
    else await this.post({ ...NONE, kind: 'device', subjectId: memberId, ...certified });
  }

  suspend(memberId: string): Promise<void> {
    return this.post({ ...NONE, kind: 'suspend', subjectId: memberId });
  }

  reinstate(memberId: string): Promise<void> {
    return this.post({ ...NONE, kind: 'reinstate', subjectId: memberId });
  }

  setRole(memberId: string, role: string): Promise<void> {
    return this.post({ ...NONE, kind: 'role', subjectId: memberId, role });
  }

  /**
   * A member's chain of trust, root first: who certified whom down to them, with the fingerprint of
   * each one's current keys.
   */
  async chain(
    memberId: string,
  ): Promise<
    { id: string; displayName: string; role: string; status: string; fingerprint: string; seq: number }[]
  > {
    const state = await this.client.directory.current();
    const out = [];
    let id: string | undefined = memberId;
    while (id !== undefined) {
      const m = state.members.get(id);
      if (m === undefined) throw new UncertifiedMemberError(memberId, 'not-certified');
      const k = m.keys.get(m.keyVersion);
      if (k === undefined) throw new UncertifiedMemberError(memberId, 'not-certified');
      out.unshift({
        id: m.id,
        displayName: m.displayName,
        role: m.role,
        status: m.status,
        fingerprint: await fingerprint(k.signPublicKey, k.boxPublicKey),
        seq: m.seq,
      });
      id = m.certifiedBy === m.id ? undefined : m.certifiedBy;
    }
    return out;
  }

  private async matches(
    listed: MemberWire,
    keys: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array },
    check: Check,
  ): Promise<boolean> {
    if ('fingerprint' in check) {
      const typed = check.fingerprint.toUpperCase().replace(/\s+/g, '');
      const print = (await fingerprint(keys.signPublicKey, keys.boxPublicKey)).replace(/\s+/g, '');
      return sameShortString(typed, print);
    }
    if (listed.invitationId === null) return false;
    const { clsmId, keys: mine } = this.client.identity;
    const secret = await invitationSecret(mine.signSecretKey, clsmId, listed.invitationId);
    const expected = await shortAuthenticationString(
      secret,
      this.client.ownerOf(listed.id),
      keys.signPublicKey,
      keys.boxPublicKey,
    );
    return sameShortString(check.sas, expected);
  }

  /** Signs the statement at the verified head and appends it; then the log is read again. */
  private async post(fields: Fields, options: { first?: boolean } = {}): Promise<void> {
    const head = options.first === true ? undefined : headOf(await this.client.directory.current());
    const { clsmId, memberId, keys } = this.client.identity;
    const signed = await signStatement(
      { clsmId, seq: (head?.seq ?? -1) + 1, prevHash: head?.hash ?? null, authorId: memberId, ...fields },
      keys.signSecretKey,
    );
    const b64 = (b: Uint8Array | null) => (b === null ? null : toBase64(b));
    await this.client.request('POST', '/v1/directory', {
      seq: signed.seq,
      prevHash: b64(signed.prevHash),
      kind: signed.kind,
      subjectId: signed.subjectId,
      role: signed.role,
      organisation: signed.organisation,
      displayName: signed.displayName,
      signPublicKey: b64(signed.signPublicKey),
      boxPublicKey: b64(signed.boxPublicKey),
      keyVersion: signed.keyVersion,
      signature: toBase64(signed.signature),
    });
    if (options.first !== true) await this.client.directory.current();
  }
}
