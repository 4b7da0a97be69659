import t from 'tap';
import type { TimelineEntry } from '../../src/client/cases.js';
import { encodePlan, planVersions, type Plan } from '../../src/client/plan.js';

// A plan is read from the synthesis's decrypted entries: notes are not plans, the latest plan entry
// is the plan in force, and a plan entry whose content does not match the format is said to be
// malformed rather than shown or thrown.

const PLAN: Plan = {
  referent: 'Inès Infirmière, CMP secteur 3',
  problems: 'Impayés de loyer, refus de soins',
  wishes: 'Rester dans son logement',
  objectives: ['Éviter l’expulsion', 'Renouer avec le CMP'],
  actions: [{ what: 'Rencontrer le bailleur', who: 'Sacha Social', when: '2027-01-15' }],
  nextReview: '2027-02-01',
};

let n = 0;
function entry(plaintext: string | Uint8Array): TimelineEntry {
  n += 1;
  return {
    state: 'verified',
    id: `00000000-0000-4000-8000-00000000000${n}`,
    kind: 'note',
    authorId: '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11',
    refersTo: null,
    keyVersion: 1,
    createdAt: `2026-11-0${n}T10:00:00.000Z`,
    plaintext: typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext,
  };
}
const json = (value: unknown) => entry(JSON.stringify(value));

t.test('reads back what was written, and leaves notes aside', async (t) => {
  const notes = [entry('Mme refuse d’ouvrir sa porte'), json({ objectives: [] }), json(['clsm.plan'])];
  const versions = planVersions([...notes, entry(encodePlan(PLAN))]);
  t.equal(versions.length, 1, 'one plan among the entries');
  const [read] = versions;
  t.same(read?.state === 'valid' ? read.plan : read, PLAN, 'the plan as written');
});

t.test('takes the latest plan entry as the plan in force, the earlier ones as its history', async (t) => {
  const later = { ...PLAN, nextReview: '2027-03-01' };
  const versions = planVersions([entry(encodePlan(PLAN)), entry('une note'), entry(encodePlan(later))]);
  t.same(
    versions.map((v) => (v.state === 'valid' ? v.plan.nextReview : v.state)),
    ['2027-02-01', '2027-03-01'],
    'oldest first, the latest last',
  );
});

t.test('says a plan entry that does not match the format is malformed', async (t) => {
  const malformed = [
    { type: 'clsm.plan', version: 1, plan: { ...PLAN, nextReview: 'bientôt' } },
    { type: 'clsm.plan', version: 1, plan: { ...PLAN, referent: '' } },
    { type: 'clsm.plan', version: 1, plan: { ...PLAN, actions: [{ what: 'Appeler' }] } },
    { type: 'clsm.plan', version: 2, plan: PLAN },
    { type: 'clsm.plan', version: 1 },
  ];
  const versions = planVersions(malformed.map(json));
  t.same(
    versions.map((v) => v.state),
    malformed.map(() => 'malformed'),
    'each one malformed',
  );
  t.ok(
    versions.every((v) => !('plan' in v)),
    'nothing of them is passed on as a plan',
  );
});

t.test('reads nothing from a withheld entry', async (t) => {
  const { plaintext: _, ...rest } = entry(encodePlan(PLAN)) as Extract<TimelineEntry, { state: 'verified' }>;
  t.same(planVersions([{ ...rest, state: 'withheld', reason: 'no-key' }]), [], 'no plan');
});

t.test('refuses to write a plan the format does not allow', async (t) => {
  t.throws(() => encodePlan({ ...PLAN, nextReview: '31/12/2027' }), 'a date in another format');
});
