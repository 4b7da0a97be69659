import t from 'tap';
import type { TimelineEntry } from '../../src/client/cases.js';
import {
  encodeAnswer,
  encodeSharedDecision,
  encodeStatement,
  encodeSummary,
  readPersonSpace,
} from '../../src/client/person-space.js';

// The person's space is read from the `person` compartment's decrypted entries: summaries,
// decisions with the latest answer to each, statements; a plain note is left aside, an entry of a
// known type that does not match its format is said to be malformed, a withheld one is counted.

const DECISION = '5f0b7c1e-3a9d-4e2b-8c6f-1d2e3f4a5b6c';
const OTHER = '6a1c8d2f-4b0e-4f3c-9d7a-2e3f4a5b6c7d';
const NURSE = '0b8c2f0e-7d0a-4c43-9d7c-1b1f3f0c9e11';
const PERSON = '1c9d3a1f-8e1b-4d54-8e8d-2c2a4a1d0f22';

let n = 0;
function entry(plaintext: string | Uint8Array, authorId = NURSE): TimelineEntry {
  n += 1;
  return {
    state: 'verified',
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    kind: 'note',
    authorId,
    refersTo: null,
    keyVersion: 1,
    createdAt: `2026-11-${String(n).padStart(2, '0')}T10:00:00.000Z`,
    plaintext: typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext,
  };
}
const json = (value: unknown) => entry(JSON.stringify(value));
const isPerson = (authorId: string) => authorId === PERSON;
const shared = (decisionId: string, text: string) =>
  entry(encodeSharedDecision({ decisionId, decidedOn: '2026-11-20', text }));

t.test('reads back each kind as written, and leaves plain notes aside', async (t) => {
  const space = readPersonSpace(
    [
      entry('Une note ordinaire'),
      entry(encodeSummary({ text: 'Nous nous sommes réunis pour vous aider.' })),
      shared(DECISION, 'Une visite à domicile avec vous.'),
      entry(encodeStatement({ text: 'Je veux rester chez moi.' }), PERSON),
      entry(encodeAnswer({ decisionId: DECISION, adhesion: 'disagrees', words: 'Pas sans moi.' }), PERSON),
      json({ type: 'clsm.plan', version: 1 }),
    ],
    isPerson,
  );
  t.same(
    space.summaries.map((s) => s.content),
    [{ text: 'Nous nous sommes réunis pour vous aider.' }],
  );
  t.same(
    space.decisions.map((d) => [d.content.text, d.answer?.content.adhesion, d.answer?.content.words]),
    [['Une visite à domicile avec vous.', 'disagrees', 'Pas sans moi.']],
  );
  t.same(
    space.statements.map((s) => [s.content.text, s.authorId]),
    [['Je veux rester chez moi.', PERSON]],
  );
  t.same(space.malformed, [], 'nothing malformed');
  t.equal(space.withheld, 0);
});

t.test('keeps the latest answer of each decision, and a reworded decision in its place', async (t) => {
  const space = readPersonSpace(
    [
      shared(DECISION, 'Première formulation.'),
      shared(OTHER, 'Une autre décision.'),
      entry(encodeAnswer({ decisionId: DECISION, adhesion: 'agrees', words: '' }), PERSON),
      entry(
        encodeAnswer({ decisionId: DECISION, adhesion: 'disagrees', words: 'J’ai changé d’avis.' }),
        PERSON,
      ),
      shared(DECISION, 'Formulation plus simple.'),
    ],
    isPerson,
  );
  t.same(
    space.decisions.map((d) => [d.content.decisionId, d.content.text, d.answer?.content.adhesion]),
    [
      [DECISION, 'Formulation plus simple.', 'disagrees'],
      [OTHER, 'Une autre décision.', undefined],
    ],
  );
});

t.test('says an entry of a known type that does not match its format is malformed', async (t) => {
  const malformed = [
    { type: 'clsm.person.summary', version: 1, content: { text: '' } },
    { type: 'clsm.person.summary', version: 2, content: { text: 'Bonjour' } },
    {
      type: 'clsm.person.decision',
      version: 1,
      content: { decisionId: DECISION, decidedOn: 'hier', text: 'x' },
    },
    {
      type: 'clsm.person.decision',
      version: 1,
      content: { decisionId: 'pas-un-uuid', decidedOn: '2026-11-20', text: 'x' },
    },
    {
      type: 'clsm.person.answer',
      version: 1,
      content: { decisionId: DECISION, adhesion: 'peut-être', words: '' },
    },
    { type: 'clsm.person.statement', version: 1 },
  ];
  const space = readPersonSpace(malformed.map(json), isPerson);
  t.equal(space.malformed.length, malformed.length, 'each one malformed');
  t.same([space.summaries, space.decisions, space.statements], [[], [], []], 'nothing of them passed on');
});

t.test('counts withheld entries without reading them', async (t) => {
  const { plaintext: _, ...rest } = entry(encodeSummary({ text: 'Bonjour' })) as Extract<
    TimelineEntry,
    { state: 'verified' }
  >;
  const space = readPersonSpace([{ ...rest, state: 'withheld', reason: 'no-key' }], isPerson);
  t.equal(space.withheld, 1);
  t.same(space.summaries, []);
});

t.test('refuses to write what the format does not allow', async (t) => {
  t.throws(() => encodeSummary({ text: '   ' }), 'an empty summary');
  t.throws(
    () => encodeSharedDecision({ decisionId: DECISION, decidedOn: '20/11/2026', text: 'x' }),
    'a date',
  );
  t.throws(() => encodeAnswer({ decisionId: 'x', adhesion: 'agrees', words: '' }), 'a decision id');
});

t.test('passes on as the person’s words only what the person signed', async (t) => {
  const space = readPersonSpace(
    [
      shared(DECISION, 'Une visite à domicile avec vous.'),
      entry(encodeAnswer({ decisionId: DECISION, adhesion: 'agrees', words: 'D’accord.' }), NURSE),
      entry(encodeStatement({ text: 'Elle est d’accord avec tout.' }), NURSE),
    ],
    isPerson,
  );
  t.equal(space.decisions[0]?.answer, undefined, 'no answer of hers');
  t.same(space.statements, [], 'no statement of hers');
  t.equal(space.notTheirs.length, 2, 'both said to be signed by someone else');
});
