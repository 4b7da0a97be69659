import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

// The routes of a built app, with their zod schemas, found from the app itself so that a route
// added tomorrow is fuzzed and checked without anyone listing it here. Fastify compiles every
// schema of every route before it is ready: wrapping the app's own compilers at that moment sees
// them all. The router's printout is the cross-check: a route with no schema at all (the /docs
// viewer's static files) is seen there and not by the compilers; it is listed too, with no
// documented answer, and only the rules every answer follows apply to it.

export interface RouteSpec {
  method: string;
  /** The pattern, with its `:params`. */
  url: string;
  params?: ZodType;
  querystring?: ZodType;
  body?: ZodType;
  headers?: ZodType;
  /** Each documented status and its schema; empty for a route that declares no schema. */
  responses: Map<number, ZodType>;
}

type Part = 'params' | 'querystring' | 'body' | 'headers';
const PARTS: readonly string[] = ['params', 'querystring', 'body', 'headers'];

export interface RouteRecorder {
  /** Pass as startTestApp's `beforeReady`. */
  beforeReady(app: FastifyInstance): void;
  /** Every route of the app (HEAD twins of GET routes left out), once it is ready. */
  discover(app: FastifyInstance): RouteSpec[];
}

export function routeRecorder(): RouteRecorder {
  const specs = new Map<string, RouteSpec>();
  const specOf = (method: string, url: string): RouteSpec => {
    const key = `${method} ${url}`;
    const existing = specs.get(key);
    if (existing !== undefined) return existing;
    const created: RouteSpec = { method, url, responses: new Map() };
    specs.set(key, created);
    return created;
  };
  return {
    beforeReady(app) {
      // The servers' own compilers (src/http/zod-compilers.ts), each route's schemas recorded.
      app.setValidatorCompiler<ZodType>((route) => {
        if (route.httpPart !== undefined && PARTS.includes(route.httpPart)) {
          specOf(route.method, route.url)[route.httpPart as Part] = route.schema;
        }
        return validatorCompiler(route);
      });
      app.setSerializerCompiler<ZodType>((route) => {
        specOf(route.method, route.url).responses.set(Number(route.httpStatus), route.schema);
        return serializerCompiler(route);
      });
    },
    discover(app) {
      const routes = [...specs.values()].filter((r) => r.method !== 'HEAD');
      const known = new Set(routes.map((r) => `${r.method} ${r.url}`));
      const bare = routerRoutes(app).filter(
        (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !known.has(`${r.method} ${r.url}`),
      );
      return [...routes, ...bare.map((r) => ({ ...r, responses: new Map<number, ZodType>() }))].sort((a, b) =>
        `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`),
      );
    },
  };
}

/**
 * Every (method, pattern) of the router, read from `printRoutes`: a tree of path fragments where
 * a node's full path is its parent's followed by its own fragment.
 */
export function routerRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== ''))
      out.push({ method, url: path });
  }
  return out;
}
