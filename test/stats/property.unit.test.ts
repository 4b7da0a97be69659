import fc from 'fast-check';
import t from 'tap';
import { auditRelease } from '../../src/stats/disclosure/audit.js';
import { countTableById } from '../../src/stats/vocabulary/catalogue.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import { NOT_DISCLOSED, type Release } from '../../src/stats/vocabulary/release-schema.js';
import { intervalOfPublished, isPublishable, K } from '../../src/stats/disclosure/rules.js';
import { tally } from '../../src/stats/disclosure/tally.js';
import { caseFactArbitrary, inputOf, YEAR } from './fixtures.js';

// Random years, small ones above all (where suppression bites): whatever the data, the builder's
// release passes the LP check, obeys the primary and secondary rules, and tells the truth within the
// intervals the attacker model assumes.

const datasets = fc.oneof(
  fc.array(caseFactArbitrary, { maxLength: 40 }),
  fc.array(caseFactArbitrary, { minLength: 40, maxLength: 160 }),
);

/** Every rule violation of a release against the true counts it was built from; empty if none. */
function violations(release: Release, counts: ReturnType<typeof tally>): string[] {
  const found: string[] = [];
  for (const table of release.tables) {
    const def = countTableById.get(table.id);
    const truth = counts.get(table.id);
    if (def === undefined || truth === undefined || table.status === 'withheld') continue;
    const strict = def.kind !== 'cross' && def.strict;
    if (table.total !== truth.total) found.push(`${table.id}: total is not exact`);
    const hidden = table.cells.flatMap((c, i) => (c.value === NOT_DISCLOSED ? [truth.counts[i] ?? 0] : []));
    if (hidden.length === 1) found.push(`${table.id}: a single hidden cell`);
    if (hidden.length > 0 && hidden.reduce((a, b) => a + b, 0) < K)
      found.push(`${table.id}: hidden sum < ${K}`);
    table.cells.forEach((cell, i) => {
      const c = truth.counts[i] ?? 0;
      if (cell.value === NOT_DISCLOSED) return;
      if (!isPublishable(c, truth.total, strict)) found.push(`${table.id}/${cell.key}: primary rule broken`);
      if (cell.value % 5 !== 0) found.push(`${table.id}/${cell.key}: not rounded`);
      const { min, max } = intervalOfPublished(cell.value, truth.total, strict);
      if (c < min || c > max) found.push(`${table.id}/${cell.key}: outside the attacker's interval`);
    });
  }
  return found;
}

t.test('no random dataset yields a release with a recoverable hidden cell', async (t) => {
  let crossWithHidden = 0;
  fc.assert(
    fc.property(datasets, (cases) => {
      const release = buildRelease(inputOf(cases));
      const cross = release.tables.find((x) => x.id === 'saisines_sexe_age');
      if (cross?.cells.some((c) => c.value === NOT_DISCLOSED) === true) crossWithHidden += 1;
      const findings = auditRelease(release);
      const broken = violations(release, tally(cases, YEAR));
      if (findings.length > 0 || broken.length > 0) {
        throw new Error(`findings ${JSON.stringify(findings)}, rules ${JSON.stringify(broken)}`);
      }
    }),
    { numRuns: 1_000 },
  );
  t.ok(
    crossWithHidden > 300,
    `${crossWithHidden} of 1000 releases hid cells of the cross table and its margins`,
  );
});
