import type { TimelineEntry } from '../../../src/client/cases.js';

// What a sitting shows of one agenda item from its situation's committee compartment: the minutes
// written for the item, each with the corrections that refer to it (signed entries of their own,
// written once the minutes were frozen), and the texts of the item's follow-up actions.

export interface MinutesNote {
  entry: TimelineEntry;
  corrections: TimelineEntry[];
}

/** The item's minutes, oldest first, each followed by its corrections in the order written. */
export function minutesOf(entries: readonly TimelineEntry[], itemId: string): MinutesNote[] {
  const notes = entries
    .filter((e) => e.kind === 'minutes' && e.refersTo === itemId)
    .map((entry) => ({ entry, corrections: [] as TimelineEntry[] }));
  const byId = new Map(notes.map((n) => [n.entry.id, n]));
  for (const e of entries)
    if (e.kind === 'correction' && e.refersTo !== null) byId.get(e.refersTo)?.corrections.push(e);
  const order = (a: TimelineEntry, b: TimelineEntry) => a.createdAt.localeCompare(b.createdAt);
  for (const n of notes) n.corrections.sort(order);
  return notes.sort((a, b) => order(a.entry, b.entry));
}

/** The decrypted text of each verified entry among `ids` (an action's description). */
export function textsOf(entries: readonly TimelineEntry[], ids: readonly string[]): Map<string, string> {
  const wanted = new Set(ids);
  const out = new Map<string, string>();
  for (const e of entries)
    if (e.state === 'verified' && wanted.has(e.id)) out.set(e.id, new TextDecoder().decode(e.plaintext));
  return out;
}
