import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/client/cases.js';
import { fr } from '../src/i18n/fr.js';
import { MaskedItem } from '../src/screens/sitting-item.js';
import { minutesOf, textsOf } from '../src/screens/sitting-minutes.js';
import { renderInFrench } from './render.js';

// What a sitting shows of one agenda item: its minutes, each followed by the corrections that refer
// to it (and no other item's); an action's text only once verified; and, to a member who takes no
// part in the situation, a masked item that names nothing.

const ITEM = 'item-1';
let clock = 0;
function entry(kind: string, refersTo: string | null, text: string, verified = true): TimelineEntry {
  clock += 1;
  const base = {
    id: `e-${String(clock)}`,
    kind,
    authorId: 'author',
    refersTo,
    keyVersion: 1,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, clock)).toISOString(),
  };
  return verified
    ? { ...base, state: 'verified', plaintext: new TextEncoder().encode(text) }
    : { ...base, state: 'withheld', reason: 'no-key' };
}

describe('the minutes of an agenda item', () => {
  it('keeps each correction under the minutes it refers to, in the order written', () => {
    const first = entry('minutes', ITEM, 'premier');
    const other = entry('minutes', 'item-2', 'une autre situation');
    const second = entry('minutes', ITEM, 'second');
    const fixFirst = entry('correction', first.id, 'correction du premier');
    const fixOther = entry('correction', other.id, 'correction ailleurs');
    const note = entry('note', null, 'une note');
    const fixFirstAgain = entry('correction', first.id, 'seconde correction');
    const notes = minutesOf([fixFirstAgain, note, fixOther, second, fixFirst, other, first], ITEM);
    expect(notes.map((n) => n.entry.id)).toEqual([first.id, second.id]);
    expect(notes[0]?.corrections.map((c) => c.id)).toEqual([fixFirst.id, fixFirstAgain.id]);
    expect(notes[1]?.corrections).toEqual([]);
  });

  it('gives an action’s text only when its entry verified', () => {
    const shown = entry('action', null, 'Rappeler le bailleur');
    const withheld = entry('action', null, 'jamais lu', false);
    const texts = textsOf([shown, withheld], [shown.id, withheld.id]);
    expect(texts.get(shown.id)).toBe('Rappeler le bailleur');
    expect(texts.has(withheld.id)).toBe(false);
  });
});

describe('a masked agenda item', () => {
  it('says a situation is there and that the member takes no part in it', () => {
    renderInFrench(<MaskedItem itemId={ITEM} position={2} />);
    const region = screen.getByRole('region', { name: '2. Situation masquée' });
    expect(region.textContent).toContain(fr['sitting.item.maskedExplain']);
  });
});
