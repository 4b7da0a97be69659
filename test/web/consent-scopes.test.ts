import path from 'node:path';
import t from 'tap';
import { loadPolicyEngine } from '../../src/access/policy-engine.js';
import { consentScopes } from '../../src/consent/scopes.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { CONSENT_SCOPES } from '../../web/src/screens/consent-scopes.js';

// The consent panel offers the pairs the default policies let consent open: the same the server
// computes, so that the form never offers a box the server refuses nor hides one it accepts.

t.test("the consent panel's role × compartment boxes are the policy's consent scopes", async (t) => {
  const policies = await loadPolicyEngine(path.join(PROJECT_ROOT, 'policies'));
  t.same([...CONSENT_SCOPES].sort(), consentScopes(policies).sort());
});
