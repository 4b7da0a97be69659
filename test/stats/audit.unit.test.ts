import t from 'tap';
import {
  assertReleaseProtected,
  auditRelease,
  DisclosureCheckError,
} from '../../src/stats/disclosure/audit.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import {
  NOT_DISCLOSED,
  type PublishedValue,
  type Release,
} from '../../src/stats/vocabulary/release-schema.js';
import { inputOf, repeat, syntheticCases } from './fixtures.js';

// The LP check must be able to fail: each test hands it a deliberately weak release and expects a
// refusal naming the exposed cell. Releases are tampered after building, as a buggy builder would.

const withValue = (release: Release, tableId: string, key: string, value: PublishedValue): Release => ({
  ...release,
  tables: release.tables.map((table) =>
    table.id !== tableId
      ? table
      : { ...table, cells: table.cells.map((c) => (c.key === key ? { ...c, value } : c)) },
  ),
});

function refusal(release: Release): DisclosureCheckError {
  try {
    assertReleaseProtected(release);
  } catch (error) {
    if (error instanceof DisclosureCheckError) return error;
    throw error;
  }
  throw new Error('the release was not refused');
}

const refusedCells = (release: Release) =>
  auditRelease(release).map((f) => `${f.tableId}/${f.key ?? ''}:${f.reason}`);

t.test('a release from the builder passes', async (t) => {
  t.same(auditRelease(buildRelease(inputOf(syntheticCases(400)))), []);
});

t.test('one hidden cell among published ones is refused: total minus shown', async (t) => {
  const safe = buildRelease(inputOf([...repeat(25, { sex: 'femme' }), ...repeat(5, { sex: 'homme' })]));
  t.same(auditRelease(safe), []);
  const weak = withValue(safe, 'saisines_sexe', 'femme', 25);
  t.same(
    auditRelease(weak).find((f) => f.tableId === 'saisines_sexe'),
    { tableId: 'saisines_sexe', key: 'homme', min: 3, max: 7, reason: 'narrow' },
    'rounding alone leaves the 5 men within [3, 7]',
  );
  const error = refusal(weak);
  t.type(error, DisclosureCheckError);
  t.same(error.refused[0], { tableId: 'saisines_sexe', key: 'homme', reason: 'narrow' });
  t.notMatch(error.message, /\[/, 'the recovered range stays out of the message');
});

t.test('a small table published with one hidden cell is refused: pinned', async (t) => {
  const safe = buildRelease(inputOf(repeat(7, { sex: 'homme' })));
  const weak: Release = {
    ...safe,
    tables: safe.tables.map((table) =>
      table.id !== 'saisines_sexe'
        ? table
        : {
            ...table,
            status: 'published',
            total: 7,
            cells: [
              { key: 'femme', label: 'Femme', value: 0 },
              { key: 'homme', label: 'Homme', value: NOT_DISCLOSED },
              { key: 'autre_non_renseigne', label: 'Autre / non renseigné', value: 0 },
            ],
          },
    ),
  };
  t.same(auditRelease(weak), [{ tableId: 'saisines_sexe', key: 'homme', min: 7, max: 7, reason: 'pinned' }]);
});

t.test('two hidden cells summing to less than 11 are refused: the range is too narrow', async (t) => {
  const safe = buildRelease(
    inputOf([
      ...repeat(3, { household: 'parent_isole' }),
      ...repeat(4, { household: 'autre' }),
      ...repeat(20, { household: 'seul' }),
    ]),
  );
  t.equal(
    safe.tables.find((x) => x.id === 'saisines_menage')?.cells.find((c) => c.key === 'seul')?.value,
    NOT_DISCLOSED,
    'the builder hides a third cell to reach 11',
  );
  const weak = withValue(safe, 'saisines_menage', 'seul', 20);
  t.same(refusedCells(weak), ['saisines_menage/parent_isole:narrow', 'saisines_menage/autre:narrow']);
});

t.test(
  'multi-choice: a hidden problem next to published zeros of a table where everyone has one',
  async (t) => {
    const safe = buildRelease(inputOf(repeat(20, { decisions: [{ month: '2025-04', decision: 'veille' }] })));
    t.same(auditRelease(safe), []);
    const weak: Release = {
      ...safe,
      tables: safe.tables.map((table) =>
        table.id !== 'decisions'
          ? table
          : {
              ...table,
              cells: table.cells.map((c) => ({ ...c, value: c.key === 'veille' ? NOT_DISCLOSED : 0 })),
            },
      ),
    };
    t.same(refusedCells(weak), ['decisions/veille:narrow'], 'the one hidden decision must be everyone');
  },
);

t.test('cross table: one hidden cell in a row is recovered from the published margins', async (t) => {
  const safe = buildRelease(
    inputOf([
      ...repeat(20, { sex: 'femme', ageBand: '25_44' }),
      ...repeat(15, { sex: 'femme', ageBand: '45_64' }),
      ...repeat(12, { sex: 'homme', ageBand: '25_44' }),
      ...repeat(14, { sex: 'homme', ageBand: '45_64' }),
    ]),
  );
  const cross = safe.tables.find((x) => x.id === 'saisines_sexe_age');
  t.ok(
    cross?.cells.every((c) => c.value !== NOT_DISCLOSED),
    'nothing to hide',
  );
  t.same(auditRelease(safe), []);
  const weak = withValue(safe, 'saisines_sexe_age', 'homme.25_44', NOT_DISCLOSED);
  t.same(auditRelease(weak), [
    { tableId: 'saisines_sexe_age', key: 'homme.25_44', min: 7, max: 14, reason: 'narrow' },
  ]);
});

t.test('cross table: hiding every inner cell does not help when the margins give them away', async (t) => {
  const safe = buildRelease(
    inputOf([
      ...repeat(20, { sex: 'femme', ageBand: '25_44' }),
      ...repeat(15, { sex: 'femme', ageBand: '65_plus' }),
    ]),
  );
  t.same(auditRelease(safe), []);
  const weak: Release = {
    ...safe,
    tables: safe.tables.map((table) =>
      table.id !== 'saisines_sexe_age'
        ? table
        : { ...table, cells: table.cells.map((c) => ({ ...c, value: NOT_DISCLOSED })) },
    ),
  };
  const refused = refusedCells(weak);
  t.ok(refused.includes('saisines_sexe_age/femme.25_44:narrow'), 'women aged 25-44 = everyone aged 25-44');
  t.ok(refused.includes('saisines_sexe_age/homme.25_44:narrow'), 'no man: pinned to 0 by the margin');
});

t.test('contradictory values are refused', async (t) => {
  const safe = buildRelease(inputOf(repeat(30, { problems: ['isolement'] })));
  const weak = withValue(safe, 'saisines_problematiques', 'isolement', 30);
  t.same(refusedCells(weak), ['saisines_problematiques/:contradictory']);
});

t.test('only the tables of this catalogue version can be checked', async (t) => {
  const release = buildRelease(inputOf([]));
  t.throws(() => auditRelease({ ...release, catalogueVersion: '2025.1' }), { name: 'DisclosureCheckError' });
  t.throws(() => auditRelease({ ...release, tables: release.tables.slice(1) }), {
    name: 'DisclosureCheckError',
  });
});
