import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { problemSchema } from '../../src/http/problem-schema.js';
import type { RouteSpec } from './routes.js';

// What an answer must be, read from the route's own declaration: a status the route documents;
// for an error, problem details whose code is one the route lists for that status (problems(...)
// writes them into the schema's description); for a success, a body its schema accepts. No answer
// may look like a stack trace or name a source file.

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const STACK = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+|\.js:\d+/;

/** The codes a problem schema documents, from `Problem details; code: A, B`. */
export function documentedCodes(schema: ZodType | undefined): string[] {
  const description = schema?.description ?? '';
  const match = /code: (.+)$/.exec(description);
  return match?.[1] === undefined ? [] : match[1].split(', ');
}

/** Where the router sends a concrete request: to the route, to another one, or nowhere. */
export type Routing = 'route' | 'other' | 'none';

/**
 * Violations of the route's contract by one answer. A mutated path may no longer reach the route:
 * nowhere, it is the not-found handler's documented 404; elsewhere, only the rules every answer
 * follows apply.
 */
export function violations(route: RouteSpec, answer: Answer, routing: Routing): string[] {
  const out: string[] = [];
  const { statusCode: status } = answer;
  if (status >= 500) out.push(`answered ${status}`);
  if (STACK.test(answer.body)) out.push('the body looks like a stack trace or names a source file');
  if (routing === 'none' && (status !== 404 || problemCode(answer) !== 'NOT_FOUND')) {
    out.push(`an unrouted request answered ${status}`);
  }
  if (routing !== 'route' || route.responses.size === 0) return out;
  const schema = route.responses.get(status);
  if (schema === undefined) {
    out.push(`status ${status} is not documented (${problemCode(answer) ?? 'no code'})`);
    return out;
  }
  if (status >= 400) {
    if (!/^application\/problem\+json/.test(String(answer.headers['content-type']))) {
      out.push(`${status} is not problem details`);
    }
    const parsed = problemSchema.safeParse(parseJson(answer.body));
    if (!parsed.success) out.push(`${status} body is not a problem: ${answer.body.slice(0, 120)}`);
    else if (!documentedCodes(schema).includes(parsed.data.code)) {
      out.push(`${status} ${parsed.data.code} is not documented for this route`);
    }
    return out;
  }
  if (status === 204) {
    if (answer.body !== '') out.push('204 with a body');
    return out;
  }
  const parsed = schema.safeParse(parseJson(answer.body));
  if (!parsed.success)
    out.push(`${status} body does not match its schema: ${parsed.error.issues[0]?.message}`);
  return out;
}

export function problemCode(answer: Answer): string | undefined {
  const body = parseJson(answer.body) as { code?: unknown } | undefined;
  return typeof body?.code === 'string' ? body.code : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function routing(app: FastifyInstance, route: RouteSpec, method: string, url: string): Routing {
  const path = url.split('?')[0] ?? url;
  // Typed as never null, but null when nothing matches (find-my-way's answer, passed through).
  const found: unknown = app.findRoute({ method, url: path });
  if (found === null) return 'none';
  const source = route.url
    .split(/(:[A-Za-z]+|\*)/)
    .map((part) =>
      part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const pattern = new RegExp(`^${source}/?$`);
  return method === route.method && pattern.test(path) ? 'route' : 'other';
}
