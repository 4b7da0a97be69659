import { fromBase64, toBase64 } from '../crypto/encoding.js';
import type { PublicDeviceKeys } from '../crypto/device-keys.js';
import { decryptEntry, encryptEntry, EntryIntegrityError } from '../crypto/entries.js';
import type { ClsmClient } from './client.js';
import { CaseKeys } from './case-keys.js';
import { BadKeysError, KeyChangedError } from './pins.js';
import type {
  CaseListItem,
  CaseView,
  Compartment,
  CompartmentPage,
  PlainEntry,
  Referred,
  TimelineEntry,
  Transitioned,
  WireEntry,
} from './case-wire.js';

// Case files through the SDK: entries are encrypted and verified here, keys handled by CaseKeys. The server only ever sees ciphertext, signatures and sealed keys.

export type { CaseListItem, CaseView, Compartment, PlainEntry, TimelineEntry } from './case-wire.js';

type AuthorKeys = (memberId: string) => Promise<PublicDeviceKeys>;

const b64 = toBase64;
const unb64 = fromBase64;

export class Cases {
  private readonly keys: CaseKeys;

  constructor(private readonly client: ClsmClient) {
    this.keys = new CaseKeys(client, this);
  }

  /** Refers a situation; `statistics` are the coarse categories of the bilan (docs/statistics.md). */
  refer(
    reasonCategory: string,
    urgency: 'routine' | 'soon' | 'urgent',
    statistics?: Record<string, unknown>,
  ): Promise<Referred> {
    return this.client.request('POST', '/v1/cases', {
      reasonCategory,
      urgency,
      ...(statistics === undefined ? {} : { statistics }),
    });
  }

  /** Declares (or corrects) the coarse categories of the person for the bilan. */
  async declareStatistics(caseId: string, statistics: Record<string, unknown>): Promise<void> {
    await this.client.request('PUT', `/v1/cases/${caseId}/statistics`, statistics);
  }

  /** Every situation the member sees, newest first (all pages). */
  async list(): Promise<{ cases: CaseListItem[] }> {
    return { cases: await this.client.all('/v1/cases', 'cases') };
  }

  view(caseId: string): Promise<CaseView> {
    return this.client.request('GET', `/v1/cases/${caseId}`);
  }

  async transition(
    caseId: string,
    transition: 'accept' | 'decline' | 'advance' | 'close',
    category?: string,
  ): Promise<string> {
    const body =
      transition === 'decline' ? { reason: category } : transition === 'close' ? { outcome: category } : {};
    return (await this.client.request<Transitioned>('POST', `/v1/cases/${caseId}/${transition}`, body))
      .status;
  }

  /**
   * Adds a participant, then gives them every key this member holds that they are entitled to;
   * with `handOverKeys: false`, the keys wait (`view().pendingGrants`) until `shareKeys`, so that
   * a user can first see and confirm who receives them.
   */
  async addParticipant(
    caseId: string,
    memberId: string,
    compartments?: Compartment[],
    options: { handOverKeys?: boolean } = {},
  ): Promise<void> {
    await this.client.request('POST', `/v1/cases/${caseId}/participants`, {
      memberId,
      ...(compartments === undefined ? {} : { compartments }),
    });
    if (options.handOverKeys !== false) await this.shareKeys(caseId);
  }

  async removeParticipant(caseId: string, memberId: string): Promise<void> {
    await this.client.request('DELETE', `/v1/cases/${caseId}/participants/${memberId}`);
  }

  async unassign(caseId: string, memberId: string, compartment: Compartment): Promise<void> {
    await this.client.request(
      'DELETE',
      `/v1/cases/${caseId}/participants/${memberId}/compartments/${compartment}`,
    );
  }

  /** Encrypts, signs and stores an entry; creates or rotates the compartment key first if needed. */
  async write(
    caseId: string,
    compartment: Compartment,
    plaintext: Uint8Array,
    options: { kind?: string; refersTo?: string } = {},
  ): Promise<string> {
    const body = await this.seal(
      caseId,
      compartment,
      plaintext,
      options.kind ?? 'note',
      options.refersTo ?? null,
    );
    await this.client.request('POST', `/v1/cases/${caseId}/compartments/${compartment}/entries`, body);
    return body.id;
  }

  /** An entry ready to post: encrypted under the current key (created or rotated first if needed) and signed. */
  async seal(
    caseId: string,
    compartment: Compartment,
    plaintext: Uint8Array,
    kind: string,
    refersTo: string | null,
  ) {
    let view = await this.view(caseId);
    let state = view.compartments.find((c) => c.name === compartment);
    if (state === undefined) throw new Error(`unknown compartment ${compartment}`);
    if (state.keyVersion === 0 || state.rotationRequired) {
      await this.rotate(caseId, compartment, view);
      view = await this.view(caseId);
      state = view.compartments.find((c) => c.name === compartment) ?? state;
    }
    const key = await this.keys.current(caseId, compartment, state.keyVersion);
    const id = globalThis.crypto.randomUUID();
    const sealed = await encryptEntry(
      {
        caseId,
        compartment,
        entryId: id,
        keyVersion: state.keyVersion,
        authorId: this.client.identity.memberId,
        kind,
        refersTo,
      },
      plaintext,
      key,
      this.client.identity.keys.signSecretKey,
    );
    return {
      id,
      keyVersion: state.keyVersion,
      kind,
      refersTo,
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
      signature: b64(sealed.signature),
    };
  }

  /**
   * Reads and decrypts a compartment, checking every grant and every author's signature. The server
   * serves it a page at a time; this follows the pages to the end.
   */
  read(caseId: string, compartment: Compartment): Promise<PlainEntry[]> {
    return this.eachEntry(caseId, compartment, (e, authors) => this.open(caseId, compartment, e, authors));
  }

  /**
   * Reads a compartment entry by entry, as a person reads it: what verifies is shown, what does not
   * is withheld with its reason, and one bad or unreadable entry does not hide the others. Errors of
   * the server or the network still throw.
   */
  timeline(caseId: string, compartment: Compartment): Promise<TimelineEntry[]> {
    return this.eachEntry(caseId, compartment, (e, authors) =>
      this.verified(caseId, compartment, e, authors),
    );
  }

  /** Every entry of a compartment, page after page, through `each`; the authors' keys fetched once. */
  private async eachEntry<T>(
    caseId: string,
    compartment: Compartment,
    each: (e: WireEntry, authors: AuthorKeys) => Promise<T>,
  ): Promise<T[]> {
    const out: T[] = [];
    const authors = this.authorKeys();
    let cursor: string | null = null;
    do {
      const page = await this.page(caseId, compartment, cursor);
      for (const e of page.entries) out.push(await each(e, authors));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /**
   * Each author's keys, fetched from the directory and checked against the pins once per read
   * rather than once per entry (a refusal is kept too, and withholds every entry of that author).
   */
  private authorKeys(): AuthorKeys {
    const seen = new Map<string, Promise<PublicDeviceKeys>>();
    return (memberId) => {
      let keys = seen.get(memberId);
      if (keys === undefined) {
        keys = this.client.memberKeys(memberId);
        seen.set(memberId, keys);
      }
      return keys;
    };
  }

  private async verified(
    caseId: string,
    compartment: Compartment,
    e: WireEntry,
    authors: AuthorKeys,
  ): Promise<TimelineEntry> {
    const about = {
      id: e.id,
      kind: e.kind,
      authorId: e.authorId,
      refersTo: e.refersTo,
      keyVersion: e.keyVersion,
      createdAt: e.createdAt,
    };
    if (this.keys.held(caseId, compartment, e.keyVersion) === undefined)
      return { state: 'withheld', reason: 'no-key', ...about };
    try {
      return { state: 'verified', ...(await this.open(caseId, compartment, e, authors)) };
    } catch (err) {
      if (err instanceof EntryIntegrityError || err instanceof BadKeysError || err instanceof KeyChangedError)
        return { state: 'withheld', reason: 'not-verified', ...about };
      throw err;
    }
  }

  /** Opens the keys this member was granted to a compartment (they come with any page of it). */
  async openGrants(caseId: string, compartment: Compartment): Promise<void> {
    await this.page(caseId, compartment, null, 1);
  }

  /** One page of a compartment, its grants opened (each checked against its granter's signature). */
  private async page(caseId: string, compartment: Compartment, cursor: string | null, limit?: number) {
    const query = new URLSearchParams();
    if (cursor !== null) query.set('cursor', cursor);
    if (limit !== undefined) query.set('limit', String(limit));
    const res = await this.client.request<CompartmentPage>(
      'GET',
      `/v1/cases/${caseId}/compartments/${compartment}/entries?${query.toString()}`,
    );
    for (const g of res.grants) await this.keys.open(caseId, compartment, g);
    return res;
  }

  private async open(
    caseId: string,
    compartment: Compartment,
    e: WireEntry,
    authors: AuthorKeys,
  ): Promise<PlainEntry> {
    const key = this.keys.held(caseId, compartment, e.keyVersion);
    if (key === undefined)
      throw new Error(`no key for version ${e.keyVersion} of ${compartment}: ask a holder to grant it`);
    const author = await authors(e.authorId);
    const plaintext = await decryptEntry(
      {
        context: {
          caseId,
          compartment,
          entryId: e.id,
          keyVersion: e.keyVersion,
          authorId: e.authorId,
          kind: e.kind,
          refersTo: e.refersTo,
        },
        nonce: unb64(e.nonce),
        ciphertext: unb64(e.ciphertext),
        signature: unb64(e.signature),
      },
      key,
      author.signPublicKey,
    );
    return {
      id: e.id,
      kind: e.kind,
      authorId: e.authorId,
      refersTo: e.refersTo,
      keyVersion: e.keyVersion,
      createdAt: e.createdAt,
      plaintext,
    };
  }

  /** Creates the next key version, sealed to every member the server lists as entitled. */
  rotate(caseId: string, compartment: Compartment, view?: CaseView): Promise<number> {
    return this.keys.rotate(caseId, compartment, view);
  }

  /** Grants the keys this member holds to the entitled members who lack them. */
  shareKeys(caseId: string): Promise<number> {
    return this.keys.shareKeys(caseId);
  }

  /** Seals a key to one member and gives it to them (the server refuses if they are not entitled). */
  grant(caseId: string, compartment: Compartment, memberId: string, keyVersion: number): Promise<void> {
    return this.keys.grant(caseId, compartment, memberId, keyVersion);
  }
}
