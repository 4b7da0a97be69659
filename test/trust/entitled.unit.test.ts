import t from 'tap';
import {
  entitledHolders,
  mayHoldKey,
  roleMayEverHold,
  type EntitlementFacts,
} from '../../src/client/entitled.js';

// The device's reading of a situation's facts (src/client/entitled.ts): the consent counts only
// while given, an exception in force counts like it, the compartments listed for a participant
// bound what they may hold, and a member the directory does not know, or knows under a role that
// is not one, holds nothing.

const SW = 'social-worker';
const PARTNER = 'partner';
const NURSE = 'nurse';
const base: EntitlementFacts = {
  participants: [
    { memberId: SW, compartments: ['health', 'social'] },
    { memberId: PARTNER, compartments: ['identity', 'health'] },
    { memberId: NURSE, compartments: ['health'] },
  ],
  consent: null,
  exceptions: [],
  roles: new Map([
    [SW, 'social_worker'],
    [PARTNER, 'partner'],
    [NURSE, 'health_professional'],
    ['operator', 'operator'],
    ['odd', 'superuser'],
  ]),
};
const scope = ['social_worker:health', 'partner:identity', 'partner:health'];

t.test('consent opens what it covers only while given', async (t) => {
  t.equal(mayHoldKey(base, SW, 'health'), false, 'no consent: the social worker may not hold health');
  t.equal(mayHoldKey({ ...base, consent: { decision: 'given', scope } }, SW, 'health'), true);
  for (const decision of ['withdrawn', 'refused'])
    t.equal(mayHoldKey({ ...base, consent: { decision, scope } }, SW, 'health'), false, decision);
  t.equal(
    mayHoldKey({ ...base, consent: { decision: 'given', scope } }, PARTNER, 'health'),
    false,
    'never beyond the ceiling, whatever the scope says',
  );
  t.equal(mayHoldKey({ ...base, consent: { decision: 'given', scope } }, PARTNER, 'identity'), true);
});

t.test('an exception in force opens like consent', async (t) => {
  const facts = {
    ...base,
    exceptions: [{ scope: ['coordinator:social'] }, { scope: ['social_worker:health'] }],
  };
  t.equal(mayHoldKey(facts, SW, 'health'), true);
  t.same(entitledHolders(facts, 'health'), [SW, NURSE]);
});

t.test('participation, listed compartments and the directory role bound the rest', async (t) => {
  t.equal(mayHoldKey(base, NURSE, 'social'), false, 'a compartment not listed for them');
  t.equal(mayHoldKey(base, 'operator', 'health'), false, 'not a participant');
  const listed = {
    ...base,
    participants: [...base.participants, { memberId: 'operator', compartments: ['health' as const] }],
  };
  t.equal(
    mayHoldKey(listed, 'operator', 'health'),
    false,
    'an operator listed as a participant still holds nothing',
  );
  t.equal(
    mayHoldKey({ ...base, participants: [{ memberId: 'odd', compartments: ['health'] }] }, 'odd', 'health'),
    false,
  );
  t.equal(
    mayHoldKey(
      { ...base, participants: [{ memberId: 'ghost', compartments: ['health'] }] },
      'ghost',
      'health',
    ),
    false,
  );
  t.equal(roleMayEverHold('health_professional', 'health'), true);
  t.equal(roleMayEverHold('partner', 'health'), false);
  t.equal(roleMayEverHold(undefined, 'synthesis'), false);
});
