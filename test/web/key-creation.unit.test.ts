import t from 'tap';
import type { CaseView, Compartment } from '../../src/client/cases.js';
import type { EntitlementFacts } from '../../src/client/entitled.js';
import { keyRecipients } from '../../web/src/screens/key-creation.js';

// Before an entry creates a compartment's key, the web app lists who will receive it: the
// participants the device entitles to it, and only when a key is made (first entry, or renewal).

const NURSE = '00000000-0000-4000-8000-000000000001';
const COORDINATOR = '00000000-0000-4000-8000-000000000002';
const LANDLORD = '00000000-0000-4000-8000-000000000003';

function viewWith(keyVersion: number, rotationRequired = false): CaseView {
  return {
    compartments: [
      { name: 'synthesis', keyVersion, rotationRequired, readable: true, holdsKey: keyVersion > 0 },
    ],
  } as CaseView;
}

function facts(consentScope: string[] = []): EntitlementFacts {
  const all: Compartment[] = ['synthesis'];
  return {
    participants: [
      { memberId: NURSE, compartments: all },
      { memberId: COORDINATOR, compartments: all },
      { memberId: LANDLORD, compartments: all },
    ],
    consent: consentScope.length === 0 ? null : { decision: 'given', scope: consentScope },
    exceptions: [],
    roles: new Map([
      [NURSE, 'health_professional'],
      [COORDINATOR, 'coordinator'],
      [LANDLORD, 'partner'],
    ]),
  };
}

t.test('the first entry makes the key: its recipients are the entitled participants', async (t) => {
  t.same(keyRecipients(viewWith(0), facts(), 'synthesis'), [NURSE, COORDINATOR], 'not the partner');
  t.same(
    keyRecipients(viewWith(0), facts(['partner:synthesis']), 'synthesis'),
    [NURSE, COORDINATOR, LANDLORD],
    'the partner too, once consent covers them',
  );
});

t.test('a renewal due makes a key too; the current key asks nothing', async (t) => {
  t.same(keyRecipients(viewWith(2, true), facts(), 'synthesis'), [NURSE, COORDINATOR]);
  t.equal(keyRecipients(viewWith(2), facts(), 'synthesis'), undefined);
});

t.test('nothing to confirm where nobody may hold the key (the SDK refuses that write)', async (t) => {
  const nobody: EntitlementFacts = { ...facts(), participants: [{ memberId: LANDLORD, compartments: [] }] };
  t.equal(keyRecipients(viewWith(0), nobody, 'synthesis'), undefined);
  t.equal(keyRecipients(viewWith(0), facts(), 'health'), undefined, 'an unknown compartment state');
});
