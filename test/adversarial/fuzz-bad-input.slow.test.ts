import t from 'tap';
import fc from 'fast-check';
import { acceptCharter } from '../helpers/members.js';
import { fuzzTargets } from '../helpers/fuzz-targets.js';
import { seed } from '../helpers/seed.js';
import { stateProbe } from '../helpers/state-probe.js';
import { validRequests } from '../helpers/request-model.js';
import { BAD_INPUT_CLASSES } from '../helpers/bad-input.js';
import { seededIds } from '../helpers/fuzz-pools.js';
import { fuzz, newTally, report, type FuzzTarget } from '../helpers/fuzz-runner.js';
import { FUZZ } from '../helpers/fuzz-budget.js';
import { summarize } from '../helpers/run-summary.js';

// Each of the fourteen bad-input classes, against every route of the API and of the statistics
// server: a schema-valid request (same generator as fuzz-valid) rewritten where it hurts, sent as a
// member of some role.

t.setTimeout(FUZZ.fileTimeoutMs);
const { ta, servers } = await fuzzTargets(t);
const seeded = await seed(ta);
const callers = Object.values(seeded.callers);
const probe = await stateProbe(ta.db);
const repair: FuzzTarget['repair'] = async (caller, code) => {
  if (code === 'TOKEN_INVALID') await seeded.relogin(caller).catch(() => undefined);
  if (code === 'CHARTER_NOT_ACCEPTED') await acceptCharter(ta.app, caller).catch(() => undefined);
};

let sent = 0;
t.teardown(() =>
  summarize(t, import.meta.url, { requests: sent, classes: BAD_INPUT_CLASSES.map((c) => c.name) }),
);
t.comment(`fuzz (bad input, ${FUZZ.note}, seed ${FUZZ.seed}): ${BAD_INPUT_CLASSES.length} classes`);

for (const [c, badClass] of BAD_INPUT_CLASSES.entries()) {
  for (const { name, app, routes } of servers) {
    t.test(
      `${badClass.name}: ${FUZZ.bad} requests to each of the ${routes.length} ${name} routes`,
      async (t) => {
        const target: FuzzTarget = { app, probe, repair };
        const tally = newTally();
        for (const [r, route] of routes.entries()) {
          const requests = fc.sample(
            fc.record({
              model: validRequests(route, seededIds(seeded, route)).chain((valid) =>
                badClass.mutate(route, valid),
              ),
              caller: fc.option(fc.constantFrom(...callers), { freq: 20, nil: undefined }),
            }),
            { numRuns: FUZZ.bad, seed: FUZZ.seed + 1000 * c + r },
          );
          await fuzz(
            target,
            route,
            requests.map((q) => ({ label: badClass.name, ...q })),
            tally,
          );
        }
        report(t, tally, 'every answer within its route contract, nothing changed by refusals');
        const answered = [...tally.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
        sent += tally.requests;
        t.comment(`${tally.requests} requests sent; answers by status ${answered.join(' ')}`);
      },
    );
  }
}
