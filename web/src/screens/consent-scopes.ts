// The role:compartment pairs the person's consent can open under the default policies: those
// where the policy refuses a participant without consent and lets them in with it. The server
// computes them from the policies themselves (src/consent/scopes.ts) and refuses any other pair;
// test/web/consent-scopes.test.ts keeps this copy equal to its answer.

export const CONSENT_SCOPES: readonly string[] = [
  'coordinator:identity',
  'coordinator:social',
  'social_worker:health',
  'partner:identity',
  'partner:synthesis',
  'partner:committee',
  'partner:person',
];
