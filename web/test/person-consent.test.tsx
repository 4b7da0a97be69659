import { describe, expect, it } from 'vitest';
import { CONSENT_SCOPES } from '../src/screens/consent-scopes.js';
import { scopeAfter } from '../src/screens/person-consent.js';

// The person's choice on one role changes that role's access only: taken away, every pair of the
// role goes; given back, every pair the consent can open for it comes (consent-scopes.ts).

describe('the person’s choice on a role', () => {
  const scope = ['coordinator:identity', 'partner:synthesis', 'partner:committee'];

  it('takes the role’s access away and leaves the others', () => {
    expect(scopeAfter(scope, 'partner', false)).toEqual(['coordinator:identity']);
  });

  it('gives back all that the consent can open for the role', () => {
    const partners = CONSENT_SCOPES.filter((pair) => pair.startsWith('partner:'));
    expect(partners).toContain('partner:synthesis');
    expect(scopeAfter(['coordinator:identity'], 'partner', true)).toEqual([
      'coordinator:identity',
      ...partners,
    ]);
  });
});
