import fc from 'fast-check';
import { z } from 'zod';
import type { RouteSpec } from './routes.js';
import { arbitraryFor, type IdPools } from './zod-arbitrary.js';

// A request as the fuzzer handles it: path parameters, query parameters and a JSON body as
// values, before they are written out. Valid requests are drawn from the route's schemas; the
// bad-input classes (bad-input.ts) rewrite them, down to the raw bytes when JSON cannot say it.

export interface RequestModel {
  params: Record<string, string>;
  query: [string, string][];
  /** The JSON value sent, or `undefined` for no body. */
  body: unknown;
  /** When set, sent instead of `body`: bytes JSON.stringify cannot produce. */
  raw?: string | Buffer;
  contentType?: string | null;
  /** Drop the caller's credentials. */
  anonymous?: boolean;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Percent-encoding that, unlike encodeURIComponent, does not refuse a lone surrogate: it is written
 * as the three bytes a careless UTF-8 encoder would produce (ED A0 80 for U+D800).
 */
export function percentEncode(value: string): string {
  return value.replace(/([\ud800-\udfff])|[^\ud800-\udfff]+/gu, (run, lone: string | undefined) => {
    if (lone === undefined) return encodeURIComponent(run);
    const u = lone.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  });
}

export type Part = 'params' | 'querystring' | 'body';

/** Schema-valid requests for a route, with existing ids (per part and field) some of the time. */
export function validRequests(route: RouteSpec, ids: (part: Part) => IdPools): fc.Arbitrary<RequestModel> {
  const part = (name: Part) => {
    const schema = route[name];
    return schema === undefined ? fc.constant(undefined) : arbitraryFor(schema, ids(name));
  };
  return fc
    .record({ params: part('params'), query: part('querystring'), body: part('body') })
    .map(({ params, query, body }) => ({
      params: Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, text(v)])),
      query: Object.entries(query ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, text(v)]),
      body,
    }));
}

/** Writes a request out as it goes on the wire. */
export function render(route: RouteSpec, model: RequestModel, authorization?: string): RawRequest {
  const path = route.url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    percentEncode(model.params[name] ?? ''),
  );
  const search = model.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const headers: Record<string, string> = {};
  if (authorization !== undefined && model.anonymous !== true) headers.authorization = authorization;
  const payload = model.raw ?? (model.body === undefined ? undefined : JSON.stringify(model.body));
  const contentType = model.contentType === undefined ? 'application/json' : model.contentType;
  if (payload !== undefined && contentType !== null) headers['content-type'] = contentType;
  return {
    method: route.method,
    url: search === '' ? path : `${path}?${search}`,
    headers,
    ...(payload === undefined ? {} : { payload }),
  };
}

/** Whether the parts of a model satisfy the route's schemas (the generator is itself checked). */
export function isValid(route: RouteSpec, model: RequestModel): boolean {
  const ok = (schema: z.ZodType | undefined, value: unknown) =>
    schema === undefined || schema.safeParse(value).success;
  return (
    ok(route.params, model.params) &&
    ok(route.querystring, Object.fromEntries(model.query)) &&
    ok(route.body, model.body)
  );
}

/** The schema that judges the value at `path` inside `schema` (wrappers and pipes seen through). */
export function schemaAt(
  schema: z.ZodType | undefined,
  path: readonly (string | number)[],
): z.ZodType | undefined {
  let node = schema;
  for (const key of path) {
    node = unwrap(node);
    const def = (node as unknown as z.core.$ZodTypes | undefined)?._zod.def;
    if (def?.type === 'object') node = def.shape[String(key)] as z.ZodType | undefined;
    else if (def?.type === 'array') node = def.element as z.ZodType;
    else return undefined;
  }
  return unwrap(node);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema as unknown as z.core.$ZodTypes | undefined;
  for (;;) {
    const def = node?._zod.def;
    if (def === undefined) return undefined;
    if (
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'prefault' ||
      def.type === 'readonly'
    ) {
      node = def.innerType as z.core.$ZodTypes;
    } else if (def.type === 'pipe') {
      node = def.in as z.core.$ZodTypes;
    } else {
      return node as unknown as z.ZodType;
    }
  }
}
