import fc from 'fast-check';
import t from 'tap';
import type { AttackerModel } from '../../src/stats/disclosure/attacker-model.js';
import { feasibleRanges } from '../../src/stats/disclosure/lp-ranges.js';

// The solver's ranges against brute force on small models, including models that are not totally
// unimodular, where the linear relaxation alone would report too wide a range.

const UNKNOWNS = ['a', 'b', 'c', 'd'];
const BOX = 7;

const modelArbitrary: fc.Arbitrary<AttackerModel> = fc.record({
  unknowns: fc.constant(UNKNOWNS),
  restrictions: fc.array(
    fc
      .record({
        terms: fc.subarray(UNKNOWNS, { minLength: 1 }),
        min: fc.integer({ min: 0, max: 12 }),
        width: fc.integer({ min: 0, max: 10 }),
      })
      .map(({ terms, min, width }) => ({ terms, min, max: min + width })),
    { maxLength: 5 },
  ),
  hidden: fc.array(
    fc.subarray(UNKNOWNS, { minLength: 1 }).map((terms) => ({ tableId: 't', key: terms.join('+'), terms })),
    { minLength: 1, maxLength: 3 },
  ),
});

/** Every integer point of [0, BOX]^4 that satisfies the model (the box keeps models bounded). */
function* points(model: AttackerModel): Generator<Record<string, number>> {
  for (let i = 0; i < (BOX + 1) ** UNKNOWNS.length; i += 1) {
    const point = Object.fromEntries(UNKNOWNS.map((u, k) => [u, Math.floor(i / (BOX + 1) ** k) % (BOX + 1)]));
    const sum = (terms: readonly string[]) => terms.reduce((s, u) => s + (point[u] ?? 0), 0);
    if (
      model.restrictions.every((r) => sum(r.terms) >= r.min && (r.max === undefined || sum(r.terms) <= r.max))
    ) {
      yield point;
    }
  }
}

t.test('LP ranges equal the integer ranges found by enumeration', async (t) => {
  fc.assert(
    fc.property(modelArbitrary, (base) => {
      const boxed: AttackerModel = {
        ...base,
        restrictions: [...base.restrictions, ...UNKNOWNS.map((u) => ({ terms: [u], min: 0, max: BOX }))],
      };
      const expected = base.hidden.map((h) => {
        let min = Infinity;
        let max = -Infinity;
        for (const p of points(boxed)) {
          const v = h.terms.reduce((s, u) => s + (p[u] ?? 0), 0);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        return { min, max };
      });
      const ranges = feasibleRanges(boxed);
      if (expected.some((e) => e.min === Infinity)) return ranges === null;
      return (
        ranges !== null &&
        ranges.every((r, i) => {
          const e = expected[i];
          return e !== undefined && r.min === e.min && r.max === e.max;
        })
      );
    }),
    { numRuns: 300 },
  );
  t.pass('300 random models agree');
});

t.test('a cell bounded by nothing is unbounded above', async (t) => {
  const ranges = feasibleRanges({
    unknowns: ['x', 'y'],
    restrictions: [{ terms: ['x'], min: 1 }],
    hidden: [{ tableId: 't', key: 'y', terms: ['y'] }],
  });
  t.same(ranges, [{ tableId: 't', key: 'y', min: 0, max: Infinity }]);
});

t.test('a fractional relaxation is not trusted', async (t) => {
  // An odd cycle: the relaxation reaches 1.5 at a = b = c = 0.5; integers reach only 1.
  const pair = (terms: string[]) => ({ terms, min: 0, max: 1 });
  const ranges = feasibleRanges({
    unknowns: ['a', 'b', 'c'],
    restrictions: [pair(['a', 'b']), pair(['b', 'c']), pair(['a', 'c'])],
    hidden: [{ tableId: 't', key: 'sum', terms: ['a', 'b', 'c'] }],
  });
  t.same(ranges, [{ tableId: 't', key: 'sum', min: 0, max: 1 }]);
});
