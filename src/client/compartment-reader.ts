import { fromBase64 } from '../crypto/encoding.js';
import type { CertifiedKeys } from '../crypto/directory-replay.js';
import { decryptEntry, EntryIntegrityError } from '../crypto/entries.js';
import type { ClsmClient } from './client.js';
import type { CaseKeys } from './case-keys.js';
import { BadKeysError } from './trust-errors.js';
import type { CompartmentPage, Compartment, PlainEntry, TimelineEntry, WireEntry } from './case-wire.js';

// Reading a compartment: its pages followed to the end, the grants that come with them opened, each
// entry decrypted and its author's signature checked against the author's pinned keys.

type AuthorKeys = (memberId: string) => Promise<CertifiedKeys>;

const unb64 = fromBase64;

export class CompartmentReader {
  constructor(
    private readonly client: ClsmClient,
    private readonly keys: CaseKeys,
  ) {}

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
   * Each author's certified keys, from the verified directory log, once per read
   * rather than once per entry (a refusal is kept too, and withholds every entry of that author).
   */
  private authorKeys(): AuthorKeys {
    const seen = new Map<string, Promise<CertifiedKeys>>();
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
    if (this.keys.held(caseId, compartment, e.keyVersion) === undefined) {
      const refused = this.keys.refusal(caseId, compartment, e.keyVersion) !== undefined;
      return { state: 'withheld', reason: refused ? 'not-verified' : 'no-key', ...about };
    }
    try {
      return { state: 'verified', ...(await this.open(caseId, compartment, e, authors)) };
    } catch (err) {
      if (err instanceof EntryIntegrityError || err instanceof BadKeysError)
        return { state: 'withheld', reason: 'not-verified', ...about };
      throw err;
    }
  }

  /** Opens the keys this member was granted to a compartment (they come with any page of it). */
  async openGrants(caseId: string, compartment: Compartment): Promise<void> {
    await this.page(caseId, compartment, null, 1);
  }

  /**
   * One page of a compartment, its grants opened: each from a granter who may have held the key
   * (src/client/case-keys.ts), its signature checked.
   */
  private async page(caseId: string, compartment: Compartment, cursor: string | null, limit?: number) {
    const query = new URLSearchParams();
    if (cursor !== null) query.set('cursor', cursor);
    if (limit !== undefined) query.set('limit', String(limit));
    const res = await this.client.request<CompartmentPage>(
      'GET',
      `/v1/cases/${caseId}/compartments/${compartment}/entries?${query.toString()}`,
    );
    await this.keys.openAll(caseId, compartment, res.grants);
    return res;
  }

  private async open(
    caseId: string,
    compartment: Compartment,
    e: WireEntry,
    authors: AuthorKeys,
  ): Promise<PlainEntry> {
    const key = this.keys.held(caseId, compartment, e.keyVersion);
    if (key === undefined) {
      throw (
        this.keys.refusal(caseId, compartment, e.keyVersion) ??
        new Error(`no key for version ${e.keyVersion} of ${compartment}: ask a holder to grant it`)
      );
    }
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
}
