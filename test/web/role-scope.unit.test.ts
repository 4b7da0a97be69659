import path from 'node:path';
import t from 'tap';
import { loadPolicyEngine } from '../../src/access/policy-engine.js';
import { allowsOnAnyCase, wouldAllow, type Caller } from '../../src/access/authorize.js';
import type { ClsmAction } from '../../src/kernel/actions.js';
import { ROLES } from '../../src/kernel/roles.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import {
  approvesRelease,
  attendsSittings,
  bilanOnly,
  homePath,
  offersSituations,
  ownSpace,
  protectsData,
  readsBilan,
  readsRegional,
  releasesBilan,
  runsSittings,
  seesBilan,
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
    // The person lists their own situations, in their own space rather than the file active.
    t.equal(offersSituations(role), may('case.list') && !ownSpace(role), `${role}: the situation screens`);
    t.equal(protectsData(role), may('audit.verify'), `${role}: the DPO's screen (the audit log checked)`);
    t.equal(runsSittings(role), may('sitting.create'), `${role}: planning and running sittings`);
    t.equal(
      attendsSittings(role),
      wouldAllow(policies, caller, {
        kind: 'sitting',
        action: 'sitting.read',
        sittingId: 's',
        convened: true,
      }),
      `${role}: the sittings screens`,
    );
    // The DPO's screen opens the access report of a situation they take no part in.
    if (protectsData(role))
      t.ok(allowsOnAnyCase(policies, caller, 'case.access_report'), `${role}: any situation's access report`);
    t.equal(bilanOnly(role), !may('case.list') && !protectsData(role), `${role}: no situation screen`);
    // The screen the app opens on is one the role is offered.
    const home = homePath(role);
    const offered =
      home === '/situations'
        ? offersSituations(role)
        : home === '/protection-des-donnees'
          ? protectsData(role)
          : home === '/mon-espace'
            ? ownSpace(role) && may('case.list')
            : home === '/bilan' && seesBilan(role);
    t.ok(offered, `${role}: opens on ${home}, a screen it is offered`);
  }
});
