import t from 'tap';
import { intervalOfPublished, isPublishable, roundCell } from '../../src/stats/disclosure/rules.js';

t.test('primary suppression: 1 to 10 hidden, 11 shown, a plain 0 shown', async (t) => {
  t.equal(isPublishable(0, 100, false), true);
  for (let c = 1; c <= 10; c += 1) t.equal(isPublishable(c, 100, false), false, `${c} hidden`);
  t.equal(isPublishable(11, 100, false), true);
  t.equal(isPublishable(100, 100, false), true, 'everyone, in a plain category, is shown');
});

t.test('strict rule: shown only between 11 and N - 11', async (t) => {
  t.equal(isPublishable(0, 30, true), false, 'no one');
  t.equal(isPublishable(10, 30, true), false);
  t.equal(isPublishable(11, 30, true), true);
  t.equal(isPublishable(19, 30, true), true);
  t.equal(isPublishable(20, 30, true), false, 'all but 10');
  t.equal(isPublishable(30, 30, true), false, 'everyone');
  t.equal(isPublishable(11, 21, true), false, 'N < 22 shows nothing');
});

t.test('rounding to the nearest 5 never produces a 0 from a nonzero count it would show', async (t) => {
  t.same([0, 11, 12, 13, 14, 15, 16, 17, 18, 103].map(roundCell), [0, 10, 10, 15, 15, 15, 15, 15, 20, 105]);
  const shown = Array.from({ length: 500 }, (_, i) => i + 11);
  t.same(
    shown.filter((c) => roundCell(c) < 10 || Math.abs(roundCell(c) - c) > 2),
    [],
    'every shown count is within 2 of its published value, which is at least 10',
  );
});

t.test('what a published value tells the attacker', async (t) => {
  t.same(intervalOfPublished(0, 50, false), { min: 0, max: 0 }, 'a published 0 is exact');
  t.same(intervalOfPublished(10, 50, false), { min: 11, max: 12 }, 'a shown 10 was 11 or 12');
  t.same(intervalOfPublished(15, 50, false), { min: 13, max: 17 });
  t.same(intervalOfPublished(20, 30, true), { min: 18, max: 19 }, 'strict cells stop at N - 11');
  const shown = Array.from({ length: 200 }, (_, i) => i + 11);
  t.same(
    shown.filter((c) => {
      const { min, max } = intervalOfPublished(roundCell(c), 300, false);
      return c < min || c > max;
    }),
    [],
    'every shown count lies in the interval the attacker deduces',
  );
});
