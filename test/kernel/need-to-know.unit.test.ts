import t from 'tap';
import path from 'node:path';
import { loadPolicyEngine } from '../../src/access/policy-engine.js';
import { wouldAllow, type CaseFacts } from '../../src/access/authorize.js';
import { COMPARTMENTS, type Compartment } from '../../src/kernel/compartments.js';
import { mayHold, NEED_TO_KNOW, type HoldingFacts } from '../../src/kernel/need-to-know.js';
import { ROLES } from '../../src/kernel/roles.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';

// The kernel's need-to-know table (src/kernel/need-to-know.ts), held against the Cedar policies
// cell by cell: every role x compartment x the 16 combinations of the facts, for compartment.read
// and compartment.write, asked of the engine the server loads, through the gate's own request
// builder. A fact that is false is not merely absent: the consent, the exception and the assigned
// set then hold every OTHER compartment, so that a rule reading the wrong compartment fails here.

const policies = await loadPolicyEngine(path.join(PROJECT_ROOT, 'policies'));
const ACTIONS = ['compartment.read', 'compartment.write'] as const;
const others = (c: Compartment) => COMPARTMENTS.filter((x) => x !== c);

function factCombinations(): HoldingFacts[] {
  const out: HoldingFacts[] = [];
  for (let bits = 0; bits < 16; bits++)
    out.push({
      participant: (bits & 1) !== 0,
      assigned: (bits & 2) !== 0,
      consentCovers: (bits & 4) !== 0,
      exceptionCovers: (bits & 8) !== 0,
    });
  return out;
}

function caseFacts(compartment: Compartment, f: HoldingFacts): CaseFacts {
  const covering = (yes: boolean) => (yes ? [compartment] : others(compartment));
  return {
    id: 'table',
    status: 'accepted',
    participant: f.participant,
    assigned: covering(f.assigned),
    consent: { id: 'consent', compartments: covering(f.consentCovers) },
    exception: { id: 'exception', compartments: covering(f.exceptionCovers) },
  };
}

t.test('the table agrees with Cedar on every cell', async (t) => {
  let checked = 0;
  const disagreements: string[] = [];
  for (const role of ROLES)
    for (const compartment of COMPARTMENTS)
      for (const facts of factCombinations())
        for (const action of ACTIONS) {
          const cedar = wouldAllow(
            policies,
            { clsmId: 'table', memberId: 'table', role, charterAccepted: true, requestId: 'table' },
            { kind: 'compartment', action, facts: caseFacts(compartment, facts), compartment },
          );
          const table = mayHold(role, compartment, facts);
          if (cedar !== table)
            disagreements.push(`${role} ${action} ${compartment} ${JSON.stringify(facts)}: Cedar ${cedar}`);
          checked += 1;
        }
  t.same(disagreements, [], 'no cell where the table and the policies differ');
  t.equal(checked, ROLES.length * COMPARTMENTS.length * 16 * ACTIONS.length);
  t.comment(`${checked} decisions checked against the Cedar engine`);
});

t.test('every ground of the table is used, so that none is dead', async (t) => {
  const grounds = new Set(ROLES.flatMap((r) => COMPARTMENTS.map((c) => NEED_TO_KNOW[r][c])));
  t.same([...grounds].sort(), ['beyond', 'care-team', 'never', 'own']);
});

t.test('the table fails the check when a cell is wrong', async (t) => {
  // The check above can fail: a partner holding health on consent is what Cedar refuses.
  const facts: HoldingFacts = {
    participant: true,
    assigned: true,
    consentCovers: true,
    exceptionCovers: false,
  };
  const cedar = wouldAllow(
    policies,
    { clsmId: 'table', memberId: 'table', role: 'partner', charterAccepted: true, requestId: 'table' },
    {
      kind: 'compartment',
      action: 'compartment.read',
      facts: caseFacts('health', facts),
      compartment: 'health',
    },
  );
  t.equal(cedar, false, 'Cedar refuses a partner the health compartment even with consent');
  t.equal(mayHold('partner', 'health', facts), false, 'and so does the table');
  t.equal(mayHold('social_worker', 'health', facts), true, 'while consent opens it to a social worker');
});
