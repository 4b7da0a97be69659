import path from 'node:path';
import t from 'tap';
import { loadPolicyEngine } from '../../src/access/policy-engine.js';
import { wouldAllow, type Caller } from '../../src/access/authorize.js';
import type { ClsmAction } from '../../src/kernel/actions.js';
import { ROLES } from '../../src/kernel/roles.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import {
  approvesRelease,
  bilanOnly,
  readsBilan,
  readsRegional,
  releasesBilan,
} from '../../web/src/screens/role-scope.js';

// The app offers each role the bilan screens and situation screens the default policies allow it:
// never a screen that could only show refusals, never a button the server would refuse.

t.test('what the app offers each role is what the policies allow it', async (t) => {
  const policies = await loadPolicyEngine(path.join(PROJECT_ROOT, 'policies'));
  for (const role of ROLES) {
    const caller: Caller = {
      clsmId: 'clsm',
      memberId: 'member',
      role,
      charterAccepted: true,
      requestId: 'r',
    };
    const may = (action: ClsmAction) =>
      wouldAllow(policies, caller, {
        kind: 'clsm',
        action,
        ...(action === 'stats.approve_release' ? { isRequester: false } : {}),
      });
    t.equal(readsBilan(role), may('stats.read'), `${role}: the CLSM's bilan`);
    t.equal(readsRegional(role), may('stats.read_regional'), `${role}: the regional aggregate`);
    t.equal(releasesBilan(role), may('stats.release'), `${role}: releasing a year`);
    t.equal(approvesRelease(role), may('stats.approve_release'), `${role}: approving a release`);
    t.equal(bilanOnly(role), !may('case.list') && role !== 'dpo', `${role}: no situation screen`);
  }
});
