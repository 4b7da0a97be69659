import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { mustNotLeak } from './app.js';
import type { TestMember } from './members.js';
import { render, type RequestModel } from './request-model.js';
import { routing, violations, problemCode } from './route-contract.js';
import type { RouteSpec } from './routes.js';
import type { StateProbe } from './state-probe.js';

// Sends fuzzed requests one at a time and judges each answer: the route's contract
// (route-contract.ts), Object.prototype, and, for a refusal, the state of the database. One at a
// time, because a change of state is only attributable to a request if nothing else ran meanwhile.

export interface FuzzRequest {
  /** The bad-input class, or 'valid'. */
  label: string;
  model: RequestModel;
  caller: TestMember | undefined;
}

export interface FuzzTally {
  requests: number;
  /** Answers by status. */
  statuses: Map<number, number>;
  /** Distinct violations, each with how often and one example. */
  failures: Map<string, { count: number; example: string }>;
}

export const newTally = (): FuzzTally => ({ requests: 0, statuses: new Map(), failures: new Map() });

export interface FuzzTarget {
  app: FastifyInstance;
  probe: StateProbe;
  /** Called after an answer whose status says the caller must be put back in order (401, 403). */
  repair?: (caller: TestMember, code: string | undefined) => Promise<void>;
}

const prototypeShape = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTOTYPE = prototypeShape();

/** Events a refusal may leave behind: the record of the refusal itself, nothing else. */
const refusalEvent = (e: { outcome: string }) => e.outcome === 'denied';

export async function fuzz(
  target: FuzzTarget,
  route: RouteSpec,
  requests: Iterable<FuzzRequest>,
  tally: FuzzTally,
): Promise<void> {
  const { app, probe } = target;
  let before = await probe.snapshot();
  for (const { label, model, caller } of requests) {
    const raw = render(route, model, caller?.headers.authorization);
    const answer = await app.inject({
      method: raw.method as 'GET',
      url: raw.url,
      headers: raw.headers,
      ...(raw.payload === undefined ? {} : { payload: raw.payload }),
    });
    tally.requests += 1;
    tally.statuses.set(answer.statusCode, (tally.statuses.get(answer.statusCode) ?? 0) + 1);
    const found = violations(route, answer, routing(app, route, raw.method, raw.url));
    const polluted = ({} as Record<string, unknown>).polluted !== undefined || prototypeShape() !== PROTOTYPE;
    if (polluted) found.push('Object.prototype was changed');
    const { change, now } = await probe.since(before);
    before = now;
    if (answer.statusCode >= 400 && answer.statusCode < 500) {
      if (change.tables.length > 0) found.push(`a refused request changed ${change.tables.join(', ')}`);
      const stray = change.events.filter((e) => !refusalEvent(e)).map((e) => `${e.type}/${e.outcome}`);
      if (stray.length > 0) found.push(`a refused request added audit events ${stray.join(', ')}`);
    }
    for (const v of found) {
      const key = `${route.method} ${route.url} [${label}]: ${v}`;
      const seen = tally.failures.get(key);
      if (seen !== undefined) seen.count += 1;
      else tally.failures.set(key, { count: 1, example: example(raw, answer.statusCode, answer.body) });
    }
    if (answer.statusCode < 300) keepSecretsOf(answer.body);
    const code = problemCode(answer);
    if (caller !== undefined && target.repair !== undefined && [401, 403].includes(answer.statusCode)) {
      await target.repair(caller, code);
      before = await probe.snapshot();
    }
  }
}

/** Credentials a fuzzed request obtained (an invitation or recovery code, a token) must not reach the logs. */
function keepSecretsOf(body: string): void {
  const parsed = ((): unknown => {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  })();
  if (parsed === null || typeof parsed !== 'object') return;
  const { code, accessToken } = parsed as { code?: unknown; accessToken?: unknown };
  for (const secret of [code, accessToken]) if (typeof secret === 'string') mustNotLeak(secret);
}

/**
 * A violation's example, short and without credentials (only the URL and the start of the body),
 * control characters escaped so that the report stays text.
 */
function example(
  raw: { method: string; url: string; payload?: string | Buffer },
  status: number,
  body: string,
) {
  const payload = raw.payload === undefined ? '' : ` ${String(raw.payload).slice(0, 160)}`;
  const text = `${raw.method} ${raw.url.slice(0, 160)}${payload} -> ${status} ${body.slice(0, 200)}`;
  return text.replace(/[\p{Cc}\p{Cs}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One assertion per distinct violation, with how often it happened and one example. */
export function report(t: Pick<Test, 'fail' | 'pass'>, tally: FuzzTally, what: string): void {
  for (const [key, f] of tally.failures) t.fail(`${key} (${f.count}x; e.g. ${f.example})`);
  if (tally.failures.size === 0) t.pass(what);
}
