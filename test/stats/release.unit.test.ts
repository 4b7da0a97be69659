import t from 'tap';
import { canonicalJson, contentHash } from '../../src/stats/releases/canonical-json.js';
import { CATALOGUE_VERSION, COUNT_TABLES, TABLE_IDS } from '../../src/stats/vocabulary/catalogue.js';
import { buildRelease } from '../../src/stats/disclosure/release.js';
import { NOT_DISCLOSED } from '../../src/stats/vocabulary/release-schema.js';
import { caseFact, inputOf, repeat, syntheticCases, tableOf, valueOf, YEAR } from './fixtures.js';

t.test('boundary: a count of 10 is hidden, a count of 11 is shown (rounded)', async (t) => {
  const release = buildRelease(
    inputOf([
      ...repeat(10, { housing: 'locataire_social' }),
      ...repeat(3, { housing: 'locataire_prive' }),
      ...repeat(11, { housing: 'proprietaire' }),
      ...repeat(20, { housing: 'sans_domicile' }),
    ]),
  );
  const housing = tableOf(release, 'saisines_logement');
  t.equal(housing.total, 44, 'the total is exact');
  t.same(
    Object.fromEntries(housing.cells.map((c) => [c.key, c.value])),
    {
      locataire_social: NOT_DISCLOSED,
      locataire_prive: NOT_DISCLOSED,
      proprietaire: 10,
      heberge_tiers: 0,
      hebergement_institution: 0,
      sans_domicile: 20,
      inconnu: 0,
    },
    '10 and 3 hidden together (13 >= 11), 11 shown as 10, true zeros shown',
  );
});

t.test('total minus shown: N=30, F=25, M=5 hides both', async (t) => {
  const release = buildRelease(inputOf([...repeat(25, { sex: 'femme' }), ...repeat(5, { sex: 'homme' })]));
  const sex = tableOf(release, 'saisines_sexe');
  t.equal(sex.total, 30);
  t.same(
    sex.cells.map((c) => c.value),
    [NOT_DISCLOSED, NOT_DISCLOSED, 0],
  );
  t.equal(valueOf(release, 'saisines_sexe_age', 'homme.45_64'), NOT_DISCLOSED);
  t.equal(
    valueOf(release, 'saisines_sexe_age', 'femme.45_64'),
    NOT_DISCLOSED,
    'nor can the men be read off the published age band in the cross table',
  );
});

t.test('multi-choice complement: N=30, a problem shared by 25 is hidden', async (t) => {
  const release = buildRelease(
    inputOf([
      ...repeat(15, { problems: ['isolement', 'dettes'] }),
      ...repeat(10, { problems: ['isolement'] }),
      ...repeat(5, { problems: [] }),
    ]),
  );
  const problems = tableOf(release, 'saisines_problematiques');
  t.equal(problems.total, 30);
  t.equal(valueOf(release, 'saisines_problematiques', 'isolement'), NOT_DISCLOSED, '25 of 30: hidden');
  t.equal(valueOf(release, 'saisines_problematiques', 'dettes'), 15, '15 of 30: shown');
  t.equal(valueOf(release, 'saisines_problematiques', 'incurie'), NOT_DISCLOSED, 'no one: hidden too');
});

t.test('homogeneity: 12 persons aged 65+ sharing one problem do not reveal it', async (t) => {
  const release = buildRelease(inputOf(repeat(12, { ageBand: '65_plus', problems: ['incurie'] })));
  t.equal(valueOf(release, 'saisines_age', '65_plus'), 10, 'the age band alone is a plain category');
  t.ok(
    tableOf(release, 'saisines_problematiques').cells.every((c) => c.value === NOT_DISCLOSED),
    'with N < 22 no problem count can be shown',
  );
  t.same(
    COUNT_TABLES.flatMap((def) => (def.kind === 'cross' ? [[def.rows.id, def.columns.id]] : [])),
    [['saisines_sexe', 'saisines_age']],
    'the only crossing is sex by age: problems are never crossed with age or anything else',
  );
});

t.test('N=7: activity figures only', async (t) => {
  const release = buildRelease(
    inputOf(repeat(7, { closure: { month: `${YEAR}-06`, outcome: 'resolue', duration: 'moins_3_mois' } })),
  );
  t.same(Object.fromEntries(tableOf(release, 'activite').cells.map((c) => [c.key, c.value])), {
    seances: 11,
    saisines: 7,
  });
  t.same(valueOf(release, 'assiduite', 'bailleur'), 82, 'attendance rates are published');
  for (const def of COUNT_TABLES) {
    const table = tableOf(release, def.id);
    t.equal(table.status, 'withheld', `${def.id} withheld`);
    t.same(table.cells, []);
    t.equal(table.total, NOT_DISCLOSED);
  }
});

t.test('attendance: rates per category, n.d. where nobody was expected', async (t) => {
  const release = buildRelease({
    ...inputOf([]),
    activity: {
      sittingsHeld: 8,
      referralsReceived: 0,
      attendance: [
        { partner: 'police', expected: 8, present: 1 },
        { partner: 'psychiatrie', expected: 16, present: 15 },
      ],
    },
  });
  const table = tableOf(release, 'assiduite');
  t.equal(valueOf(release, 'assiduite', 'police'), 13, '12.5 % rounds half up');
  t.equal(valueOf(release, 'assiduite', 'psychiatrie'), 94);
  t.equal(valueOf(release, 'assiduite', 'bailleur'), NOT_DISCLOSED);
  t.equal(table.total, 67, '16 of 24 seats over all categories');
});

t.test('each table counts its own population of the year', async (t) => {
  const closedThisYear = { month: `${YEAR}-02`, outcome: 'resolue', duration: '6_12_mois' } as const;
  const release = buildRelease(
    inputOf([
      ...repeat(15, { referredMonth: `${YEAR - 1}-06`, closure: closedThisYear }),
      ...repeat(20, { decisions: [{ month: `${YEAR - 1}-12`, decision: 'veille' }] }),
      ...repeat(3, { closure: { month: `${YEAR + 1}-01`, outcome: 'autre', duration: 'moins_3_mois' } }),
    ]),
  );
  t.equal(tableOf(release, 'saisines_sexe').total, 23, 'referred during the year, closed or not');
  t.equal(tableOf(release, 'clotures_issue').total, 15, 'closed during the year, referred before');
  t.equal(tableOf(release, 'clotures_duree').total, 15);
  t.equal(tableOf(release, 'decisions').status, 'withheld', 'decisions of another year do not count');
  t.equal(tableOf(release, 'examen_delai').status, 'withheld', 'nothing examined this year');
});

t.test('deterministic: same input, same bytes and hash, whatever the order of the facts', async (t) => {
  const cases = syntheticCases(2_000, 7);
  const first = buildRelease(inputOf(cases));
  const again = buildRelease(inputOf(cases));
  const reversed = buildRelease(inputOf([...cases].reverse()));
  t.equal(canonicalJson(again), canonicalJson(first));
  t.equal(contentHash(again), contentHash(first));
  t.equal(contentHash(reversed), contentHash(first));
  t.notMatch(canonicalJson(first), /\d{4}-\d{2}-\d{2}/, 'no date inside');
  t.not(contentHash(buildRelease(inputOf(cases.slice(1)))), contentHash(first), 'other input, other hash');
});

t.test('the catalogue is fixed and versioned', async (t) => {
  const release = buildRelease(inputOf(syntheticCases(300)));
  t.equal(release.catalogueVersion, CATALOGUE_VERSION);
  t.same(
    release.tables.map((table) => table.id),
    TABLE_IDS,
  );
  t.same(
    buildRelease(inputOf([])).tables.map((table) => table.id),
    TABLE_IDS,
    'an empty year has the same tables',
  );
  for (const table of release.tables.filter(
    (x) => x.status === 'published' && x.total !== null && x.id !== 'assiduite',
  )) {
    t.ok(
      table.cells.every((c) => c.value === NOT_DISCLOSED || c.value % 5 === 0),
      `${table.id}: breakdown cells rounded to 5`,
    );
  }
});

t.test('input: categories and months only, consistent with the activity', async (t) => {
  t.throws(() => buildRelease(inputOf([{ ...caseFact(), birthDate: '1950-01-01' } as never])), {
    name: 'ZodError',
  });
  t.throws(() => buildRelease(inputOf([caseFact({ referredMonth: `${YEAR}-03-14` })])), { name: 'ZodError' });
  t.throws(() => buildRelease(inputOf([caseFact({ problems: ['dettes', 'dettes'] })])), { name: 'ZodError' });
  t.throws(
    () =>
      buildRelease({
        ...inputOf(repeat(12)),
        activity: { sittingsHeld: 1, referralsReceived: 11, attendance: [] },
      }),
    {
      name: 'RangeError',
      message: /referralsReceived/,
    },
  );
});
