import type { Sittings } from '../../../src/client/sittings.js';

// What each part of an agenda item is given: the item as the server shows it to the member, and the
// sitting it belongs to.

export type Item = Awaited<ReturnType<Sittings['view']>>['agenda'][number];
/** An item whose situation the member may read: named, with its case. */
export type NamedItem = Item & { case: NonNullable<Item['case']> };

export interface ItemContext {
  sittingId: string;
  closed: boolean;
  /** The coordinator records; the others read. */
  runs: boolean;
  /** The convened members, named: who an action may be given to. */
  people: { id: string; name: string }[];
  /** Any member's name, as the directory gives it (an author, an assignee). */
  nameOf: (memberId: string) => string;
  onChanged: () => Promise<void>;
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
