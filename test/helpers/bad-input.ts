import http from 'node:http';
import fc from 'fast-check';
import { z } from 'zod';
import type { RouteSpec } from './routes.js';
import { schemaAt, type RequestModel } from './request-model.js';

// The fourteen classes of bad input of issue 10. Each rewrites a schema-valid request where the
// route takes input (a body field, a query parameter, a path parameter), and where a route takes
// none, sends the bad input anyway: a server must be as calm about input it does not expect.

type Path = (string | number)[];

export interface BadInputClass {
  name: string;
  mutate(route: RouteSpec, valid: RequestModel): fc.Arbitrary<RequestModel>;
}

const MEGABYTE = 1024 * 1024;
const withBody = (route: RouteSpec) => route.method !== 'GET';

/** Every position inside a JSON value, with the value found there. */
function positions(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const here = path.length === 0 ? [] : [{ path, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => positions(v, [...path, i]))];
  if (value !== null && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => positions(v, [...path, k]))];
  }
  return here;
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const copy: unknown = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) };
  (copy as Record<string | number, unknown>)[head] = setAt(
    (value as Record<string | number, unknown>)[head],
    rest,
    replacement,
  );
  return copy;
}

function deleteAt(value: unknown, path: Path): unknown {
  const parent = path.slice(0, -1);
  const key = path.at(-1);
  const container = parent.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
  if (key === undefined || container === null || typeof container !== 'object') return value;
  if (Array.isArray(container))
    return setAt(
      value,
      parent,
      container.filter((_, i) => i !== Number(key)),
    );
  const copy: Record<string, unknown> = { ...container };
  Reflect.deleteProperty(copy, key);
  return setAt(value, parent, copy);
}

/** A place to put a bad value: a body position, a query parameter or a path parameter. */
export type Slot =
  | { part: 'body'; path: Path; value: unknown }
  | { part: 'query'; key: string; value: string }
  | { part: 'params'; key: string; value: string };

export function slots(valid: RequestModel, keep: (s: Slot) => boolean = () => true): Slot[] {
  const all: Slot[] = [
    ...positions(valid.body).map((p): Slot => ({ part: 'body', ...p })),
    ...valid.query.map(([key, value]): Slot => ({ part: 'query', key, value })),
    ...Object.entries(valid.params).map(([key, value]): Slot => ({ part: 'params', key, value })),
  ];
  return all.filter(keep);
}

/** Puts `value` in the slot; path and query parameters take its text. */
export function put(valid: RequestModel, slot: Slot, value: unknown): RequestModel {
  const asText = typeof value === 'string' ? value : JSON.stringify(value);
  switch (slot.part) {
    case 'body':
      return { ...valid, body: setAt(valid.body, slot.path, value) };
    case 'query':
      return { ...valid, query: valid.query.map(([k, v]) => [k, k === slot.key ? asText : v]) };
    case 'params':
      return { ...valid, params: { ...valid.params, [slot.key]: asText } };
  }
}

/** Where a route takes no input: the bad value goes in an unexpected field or parameter. */
const inBodyElsewhere = (route: RouteSpec, valid: RequestModel) =>
  withBody(route) && (valid.body === undefined || typeof valid.body === 'object');

function elsewhere(route: RouteSpec, valid: RequestModel, value: unknown): RequestModel {
  if (inBodyElsewhere(route, valid)) {
    return { ...valid, body: { ...(valid.body ?? {}), unexpected: value } };
  }
  const asText = typeof value === 'string' ? value : JSON.stringify(value);
  return { ...valid, query: [...valid.query, ['unexpected', asText]] };
}

/** Replaces one slot (chosen by fast-check) with a value drawn for it, or falls back to `elsewhere`. */
function replaceSlot(
  route: RouteSpec,
  valid: RequestModel,
  keep: (s: Slot) => boolean,
  values: (slot: Slot | undefined) => fc.Arbitrary<unknown>,
): fc.Arbitrary<RequestModel> {
  const candidates = slots(valid, keep);
  if (candidates.length === 0) return values(undefined).map((v) => elsewhere(route, valid, v));
  return fc.constantFrom(...candidates).chain((slot) => values(slot).map((v) => put(valid, slot, v)));
}

const schemaOf = (route: RouteSpec, slot: Slot): z.ZodType | undefined =>
  slot.part === 'body'
    ? schemaAt(route.body, slot.path)
    : schemaAt(slot.part === 'query' ? route.querystring : route.params, [slot.key]);

const leafOf = (schema: z.ZodType | undefined): { maxLength?: number; maxItems?: number; format?: string } =>
  schema === undefined ? {} : z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const isString = (s: Slot) => typeof s.value === 'string';
const kindOf = (schema: z.ZodType | undefined) => (schema as z.core.$ZodTypes | undefined)?._zod.def.type;
const isNumber = (route: RouteSpec) => (s: Slot) => kindOf(schemaOf(route, s)) === 'number';
const isUuid = (route: RouteSpec) => (s: Slot) => leafOf(schemaOf(route, s)).format === 'uuid';

/** Replaces the JSON text of the first `"key":` value in a body with `text`, verbatim. */
function rawBody(valid: RequestModel, edit: (json: string) => string): RequestModel {
  return { ...valid, raw: edit(JSON.stringify(valid.body ?? {})) };
}

const model = (m: RequestModel): fc.Arbitrary<RequestModel> => fc.constant(m);

const OTHER_TYPES: unknown[] = [0, -1.5, true, null, 'text', [], {}, [1, 'a'], { a: 1 }];
const typeName = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

export const BAD_INPUT_CLASSES: readonly BadInputClass[] = [
  {
    name: 'wrong type',
    mutate: (route, valid) =>
      replaceSlot(
        route,
        valid,
        () => true,
        (slot) =>
          fc.constantFrom(
            ...OTHER_TYPES.filter((v) => slot === undefined || typeName(v) !== typeName(slot.value)),
          ),
      ),
  },
  {
    name: 'missing field',
    mutate: (route, valid) => {
      const candidates = slots(
        valid,
        (s) => s.part !== 'query' && (s.part !== 'body' || typeof s.path.at(-1) === 'string'),
      );
      if (candidates.length === 0) return model({ ...valid, anonymous: true });
      return fc
        .constantFrom(...candidates)
        .map((slot) =>
          slot.part === 'body'
            ? { ...valid, body: deleteAt(valid.body, slot.path) }
            : slot.part === 'params'
              ? { ...valid, params: { ...valid.params, [slot.key]: '' } }
              : valid,
        );
    },
  },
  {
    name: 'extra field',
    mutate: (route, valid) =>
      fc
        .tuple(
          fc.constantFrom('role', 'clsm_id', 'tenantId', 'keyVersion', 'isAdmin', 'status', 'seq', 'extra'),
          fc.constantFrom<unknown>('coordinator', 1, true, null, { nested: 1 }),
        )
        .chain(([key, value]) => {
          const objects = positions(valid.body).filter(
            (p) => p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value),
          );
          const inBody = (path: Path): RequestModel => ({
            ...valid,
            body: setAt(valid.body, [...path, key], value),
          });
          const options: fc.Arbitrary<RequestModel>[] = [
            model({
              ...valid,
              query: [...valid.query, [key, JSON.stringify(value)] as [string, string]],
            }),
          ];
          if (valid.body !== null && typeof valid.body === 'object' && !Array.isArray(valid.body))
            options.push(model(inBody([])));
          if (objects.length > 0) options.push(fc.constantFrom(...objects).map((p) => inBody(p.path)));
          if (valid.body === undefined && withBody(route))
            options.push(model({ ...valid, body: { [key]: value } }));
          return fc.oneof(...options);
        }),
  },
  {
    name: 'over-long string and 1 MB string',
    mutate: (route, valid) =>
      replaceSlot(route, valid, isString, (slot) => {
        const max = slot === undefined ? undefined : leafOf(schemaOf(route, slot)).maxLength;
        const overLong = fc.integer({ min: 1, max: 64 }).map((extra) => 'x'.repeat((max ?? 10_000) + extra));
        // One megabyte of one-, two- and four-byte characters in a body; in a URL, as many as a
        // request head can hold: Node's HTTP server refuses a longer one with 431 before any route
        // (http-hardening.test.ts), so a longer URL only measures the router's percent-decoding.
        const inUrl = slot === undefined ? !inBodyElsewhere(route, valid) : slot.part !== 'body';
        const megabyte = fc
          .constantFrom('a', 'é', '\u{1F600}')
          .map((c) =>
            c.repeat(
              inUrl ? Math.floor(http.maxHeaderSize / encodeURIComponent(c).length) : MEGABYTE / c.length,
            ),
          );
        return fc.oneof(overLong, megabyte);
      }),
  },
  {
    name: 'too many items',
    mutate: (route, valid) => {
      const arrays = positions(valid.body).filter((p) => Array.isArray(p.value));
      if (arrays.length === 0) {
        const many = Array.from({ length: 10_000 }, (_, i) => i);
        const inQuery = model({
          ...valid,
          query: [...valid.query, ...many.slice(0, 1000).map((i): [string, string] => ['item', String(i)])],
        });
        return withBody(route) ? fc.oneof(model({ ...valid, body: many }), inQuery) : inQuery;
      }
      return fc.tuple(fc.constantFrom(...arrays), fc.constantFrom(1, 100, 10_000)).map(([p, extra]) => {
        const declared = leafOf(schemaAt(route.body, p.path)).maxItems ?? 0;
        const item = (p.value as unknown[])[0] ?? 'x';
        return {
          ...valid,
          body: setAt(
            valid.body,
            p.path,
            Array.from({ length: declared + extra }, () => item),
          ),
        };
      });
    },
  },
  {
    name: '1,000-deep nesting',
    mutate: (route, valid) =>
      fc.constantFrom('[', '{"a":').chain((open) => {
        const close = open === '[' ? ']' : '}';
        const deep = `${open.repeat(1000)}1${close.repeat(1000)}`;
        if (!withBody(route)) {
          return model({
            ...valid,
            query: [...valid.query, [`a${'[b]'.repeat(1000)}`, deep] as [string, string]],
          });
        }
        const target = positions(valid.body)[0]?.path ?? ['deep'];
        return model(
          rawBody({ ...valid, body: setAt(valid.body ?? {}, target, '\u0000DEEP\u0000') }, (json) =>
            json.replace('"\\u0000DEEP\\u0000"', deep),
          ),
        );
      }),
  },
  {
    name: '__proto__ / constructor keys',
    mutate: (route, valid) =>
      fc
        .constantFrom('"__proto__":{"polluted":1}', '"constructor":{"prototype":{"polluted":1}}')
        .chain((member) => {
          const options: fc.Arbitrary<RequestModel>[] = [
            model({
              ...valid,
              query: [
                ...valid.query,
                ['__proto__[polluted]', '1'],
                ['constructor[prototype][polluted]', '1'],
                ['__proto__', 'x'],
              ] as [string, string][],
            }),
          ];
          if (Object.keys(valid.params).length > 0) {
            options.push(
              fc.constantFrom('__proto__', 'constructor', 'prototype').map((v) => ({
                ...valid,
                params: Object.fromEntries(Object.keys(valid.params).map((k) => [k, v])),
              })),
            );
          }
          if (withBody(route)) {
            const objects =
              valid.body !== null && typeof valid.body === 'object' && !Array.isArray(valid.body) ? 1 : 0;
            options.push(
              model(
                objects === 0
                  ? { ...valid, raw: `{${member}}` }
                  : rawBody(valid, (json) =>
                      json.replace(/\{(?!\})/g, `{${member},`).replace('{}', `{${member}}`),
                    ),
              ),
            );
          }
          return fc.oneof(...options);
        }),
  },
  {
    name: 'lone surrogate and NUL',
    mutate: (route, valid) =>
      fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud800\u0000').chain((bad) => {
        const inSlot = replaceSlot(route, valid, isString, () => fc.constant(bad));
        if (!withBody(route)) return inSlot;
        // The same characters as raw bytes: a NUL byte, a surrogate encoded as if it were UTF-8, an
        // over-long NUL; written at the start of the first string value of the body.
        const json = JSON.stringify(valid.body ?? {});
        const at = json.indexOf('":"');
        const [head, tail] = at < 0 ? ['{"text":"', '"}'] : [json.slice(0, at + 3), json.slice(at + 3)];
        const bytes = fc
          .constantFrom(Buffer.from([0x00]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0x80]))
          .map((b) => ({ ...valid, raw: Buffer.concat([Buffer.from(head), b, Buffer.from(tail)]) }));
        return fc.oneof(inSlot, bytes);
      }),
  },
  {
    name: 'NaN / 1e309 / 2^53+1',
    mutate: (route, valid) =>
      fc.constantFrom('NaN', '1e309', '9007199254740993', '-1e309').chain((literal) => {
        const numbers = slots(valid, isNumber(route));
        const slot = numbers.length === 0 ? undefined : fc.constantFrom(...numbers);
        if (slot === undefined) {
          // No number here: the literals go where text is expected, and in a body as bare JSON.
          return fc.oneof(
            replaceSlot(route, valid, isString, () => fc.constant(literal)),
            model(
              withBody(route)
                ? { ...valid, raw: `{"unexpected":${literal}}` }
                : { ...valid, query: [...valid.query, ['n', literal]] as [string, string][] },
            ),
          );
        }
        return slot.map((s) =>
          s.part === 'body'
            ? rawBody({ ...valid, body: setAt(valid.body, s.path, '\u0000N\u0000') }, (json) =>
                json.replace('"\\u0000N\\u0000"', literal),
              )
            : put(valid, s, literal),
        );
      }),
  },
  {
    name: 'malformed UUID',
    mutate: (route, valid) =>
      replaceSlot(route, valid, isUuid(route), () =>
        fc.constantFrom(
          '',
          '123',
          '6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2g',
          '6a7b0c548f7e4f0e9d1a0a9c7d0b1e2f',
          '6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f0',
          '{6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f}',
          '6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f\n',
          ' 6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f',
          "6a7b0c54-8f7e-4f0e-9d1a-0a9c7d0b1e2f' OR '1'='1",
        ),
      ),
  },
  {
    name: '../ traversal',
    mutate: (route, valid) =>
      fc
        .constantFrom(
          '../',
          '../../../etc/passwd',
          '..%2F..%2Fmembers',
          '%2e%2e%2f',
          '....//....//',
          '..\\..\\',
        )
        .chain((dots) => {
          const inSlot = replaceSlot(route, valid, isString, () => fc.constant(dots));
          const inPath: RequestModel = {
            ...valid,
            params: Object.fromEntries(Object.entries(valid.params).map(([k, v]) => [k, `${v}/${dots}`])),
          };
          return Object.keys(valid.params).length === 0 ? inSlot : fc.oneof(inSlot, model(inPath));
        }),
  },
  {
    name: 'duplicate JSON keys',
    mutate: (route, valid) => {
      const body = valid.body;
      if (
        body === null ||
        typeof body !== 'object' ||
        Array.isArray(body) ||
        Object.keys(body).length === 0
      ) {
        return model(
          withBody(route)
            ? { ...valid, raw: '{"a":1,"a":2,"a":{"b":1}}' }
            : { ...valid, query: [...valid.query, ['a', '1'], ['a', '2']] as [string, string][] },
        );
      }
      return fc
        .tuple(fc.constantFrom(...Object.keys(body)), fc.constantFrom(...OTHER_TYPES), fc.boolean())
        .map(([key, other, first]) => {
          const json = JSON.stringify(body);
          const duplicate = `${JSON.stringify(key)}:${JSON.stringify(other)}`;
          return {
            ...valid,
            raw: first ? `{${duplicate},${json.slice(1)}` : `${json.slice(0, -1)},${duplicate}}`,
          };
        });
    },
  },
  {
    name: 'wrong Content-Type',
    mutate: (_route, valid) =>
      fc
        .constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'text/json',
          'application/jsonx',
          'application/json; charset=utf-16',
          'application/problem+json',
          null,
        )
        .map((contentType) => ({ ...valid, body: valid.body ?? { a: 1 }, contentType })),
  },
  {
    name: 'repeated query parameters',
    mutate: (_route, valid) =>
      fc.constantFrom('same', 'different').map((how) => {
        const base: [string, string][] =
          valid.query.length > 0
            ? valid.query
            : [
                ['page', '1'],
                ['filter', 'a'],
              ];
        return {
          ...valid,
          query: [...base, ...base.map(([k, v]): [string, string] => [k, how === 'same' ? v : `${v}0`])],
        };
      }),
  },
];
