import t from 'tap';
import fc from 'fast-check';
import { acceptCharter } from '../helpers/members.js';
import { fuzzTargets } from '../helpers/fuzz-targets.js';
import { seed } from '../helpers/seed.js';
import { stateProbe } from '../helpers/state-probe.js';
import { isValid, validRequests } from '../helpers/request-model.js';
import { seededIds } from '../helpers/fuzz-pools.js';
import { fuzz, newTally, report, type FuzzTarget } from '../helpers/fuzz-runner.js';
import { FUZZ } from '../helpers/fuzz-budget.js';
import { summarize } from '../helpers/run-summary.js';

// Schema-valid requests to every route of the API and of the statistics server, drawn from the
// route's own zod schemas, sent as a member of each role (and now and then as nobody) against a
// CLSM with real situations.

t.setTimeout(FUZZ.fileTimeoutMs);
const { ta, servers } = await fuzzTargets(t);
const seeded = await seed(ta);
const callers = Object.values(seeded.callers);
const probe = await stateProbe(ta.db);
const repair: FuzzTarget['repair'] = async (caller, code) => {
  // A fuzzed logout or a new charter puts a caller out; put them back for the next requests.
  if (code === 'TOKEN_INVALID') await seeded.relogin(caller).catch(() => undefined);
  if (code === 'CHARTER_NOT_ACCEPTED') await acceptCharter(ta.app, caller).catch(() => undefined);
};
let sent = 0;
t.teardown(() => summarize(t, import.meta.url, { requests: sent }));

for (const { name, app, routes } of servers) {
  t.test(`${name}: ${FUZZ.valid} schema-valid requests to each of its ${routes.length} routes`, async (t) => {
    const target: FuzzTarget = { app, probe, repair };
    const tally = newTally();
    let generatorSlips = 0;
    for (const [i, route] of routes.entries()) {
      // Lifecycle and participant routes use situations up: each of them gets a fresh one.
      if (route.url.startsWith('/v1/cases/:id')) await seeded.addCases(1);
      const requests = fc.sample(
        fc.record({
          model: validRequests(route, seededIds(seeded, route)),
          caller: fc.option(fc.constantFrom(...callers), { freq: 20, nil: undefined }),
        }),
        { numRuns: FUZZ.valid, seed: FUZZ.seed + i },
      );
      generatorSlips += requests.filter((r) => !isValid(route, r.model)).length;
      await fuzz(
        target,
        route,
        requests.map((r) => ({ label: 'valid', ...r })),
        tally,
      );
    }
    t.equal(generatorSlips, 0, 'every generated request satisfies its schemas');
    report(t, tally, 'every answer within its route contract');
    const answered = [...tally.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
    sent += tally.requests;
    t.comment(
      `fuzz (${name}, valid, ${FUZZ.note}, seed ${FUZZ.seed}): ${tally.requests} requests sent to ${routes.length} routes`,
    );
    t.comment(`answers by status: ${answered.join(' ')}`);
  });
}
