import t from 'tap';
import fc from 'fast-check';
import type { z } from 'zod';
import { fuzzTargets } from '../helpers/fuzz-targets.js';
import { seed } from '../helpers/seed.js';
import { stateProbe } from '../helpers/state-probe.js';
import { validRequests } from '../helpers/request-model.js';
import { put, slots } from '../helpers/bad-input.js';
import { seededIds } from '../helpers/fuzz-pools.js';
import { fuzz, newTally, report } from '../helpers/fuzz-runner.js';
import { acceptCharter } from '../helpers/members.js';

// Every field that reaches a text column refuses what such a column cannot hold (a NUL) and what
// no typed text contains (control characters, lone surrogates), with a 400. Found by the fuzzer
// with seed 754814 (`"location":"\u0000"` in POST /v1/sittings answered 500): replayed here as a
// fixed case, then checked for every string field of every route, not for one drawn at random.

const { ta, servers } = await fuzzTargets(t);
const seeded = await seed(ta);
const coordinator = seeded.callers.coordinator;
const BAD = ['a\u0000b', 'x\ud800y', 'bell\u0007'];

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly']);

/** The string leaves of a schema, with where they are: what a route accepts as text. */
function stringLeaves(schema: z.ZodType | undefined, at = ''): { at: string; leaf: z.ZodType }[] {
  const def = (schema as unknown as z.core.$ZodTypes | undefined)?._zod.def;
  if (def === undefined) return [];
  const inner = (x: unknown, where = at) => stringLeaves(x as z.ZodType, where);
  if (def.type === 'string') return [{ at, leaf: schema as z.ZodType }];
  if (def.type === 'object') return Object.entries(def.shape).flatMap(([k, v]) => inner(v, `${at}.${k}`));
  if (def.type === 'array') return inner(def.element, `${at}[]`);
  if (def.type === 'record') return inner(def.valueType, `${at}{}`);
  if (def.type === 'union') return def.options.flatMap((o) => inner(o));
  if (def.type === 'pipe') return inner(def.in);
  if (WRAPPERS.has(def.type) && 'innerType' in def) return inner(def.innerType);
  return [];
}

t.test('seed 754814: a NUL in the place of a sitting is refused with a 400, not a 500', async (t) => {
  const answer = await ta.app.inject({
    method: 'POST',
    url: '/v1/sittings',
    headers: coordinator.headers,
    payload: { scheduledFor: '2026-12-03T14:00:00.000Z', location: '\u0000', convened: [] },
  });
  t.equal(answer.statusCode, 400);
  t.match(answer.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'location' }] });
});

t.test('every string field of every route refuses a NUL in its schema', async (t) => {
  let fields = 0;
  for (const { name, routes } of servers) {
    for (const route of routes) {
      for (const part of ['params', 'querystring', 'body'] as const) {
        for (const { at, leaf } of stringLeaves(route[part])) {
          fields += 1;
          if (leaf.safeParse('a\u0000b').success) {
            t.fail(`${name} ${route.method} ${route.url} ${part}${at} accepts a NUL`);
          }
        }
      }
    }
  }
  t.ok(fields > 20, `${fields} string fields checked`);
});

t.test('through HTTP, every string slot of every route, each bad character', async (t) => {
  const probe = await stateProbe(ta.db);
  const callers = Object.values(seeded.callers);
  for (const { name, app, routes } of servers) {
    const tally = newTally();
    for (const [r, route] of routes.entries()) {
      const samples = fc.sample(
        fc.record({
          model: validRequests(route, seededIds(seeded, route)),
          caller: fc.constantFrom(...callers),
        }),
        { numRuns: 3, seed: 754_814 + r },
      );
      // As the coordinator (who reaches most writes) and as a member drawn for the request.
      const requests = samples.flatMap(({ model, caller }) =>
        slots(model, (s) => typeof s.value === 'string').flatMap((slot) =>
          BAD.flatMap((bad) =>
            [coordinator, caller].map((by) => ({
              label: 'text field',
              model: put(model, slot, bad),
              caller: by,
            })),
          ),
        ),
      );
      await fuzz(
        {
          app,
          probe,
          repair: async (caller, code) => {
            if (code === 'TOKEN_INVALID') await seeded.relogin(caller).catch(() => undefined);
            if (code === 'CHARTER_NOT_ACCEPTED') await acceptCharter(ta.app, caller).catch(() => undefined);
          },
        },
        route,
        requests,
        tally,
      );
    }
    report(t, tally, `${name}: ${tally.requests} requests, every answer within its route contract`);
  }
});
