import fc from 'fast-check';
import { z } from 'zod';

// fast-check arbitraries derived from zod schemas: the requests a route's own schema accepts.
// The structure is read from each schema's definition (`_zod.def`, zod's documented way to walk a
// schema); the constraints of a leaf (lengths, bounds, patterns, formats) from zod's own JSON
// Schema output, so that they are read the way zod documents them. Refinements cannot be read:
// a node that has any is generated, then kept only if the node itself accepts the value.

/** Ids of things that exist, to use some of the time instead of random ones: requests go deeper. */
export type IdPools = (field: string) => readonly string[] | undefined;

interface Leaf {
  type?: string;
  format?: string;
  pattern?: string;
  contentEncoding?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Check kinds the generator honours by construction; any other (refine, trim) needs a filter. */
const MODELLED = new Set([
  'min_length',
  'max_length',
  'length_equals',
  'string_format',
  'greater_than',
  'less_than',
  'number_format',
]);

/** Valid requests stay small: a long list or a 1 MB text is the bad-input classes' business. */
const MAX_ITEMS = 6;
const MAX_TEXT = 200;
const MAX_BYTES = 4096;

const leafOf = (schema: z.ZodType): Leaf =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Leaf;

export function arbitraryFor(schema: z.ZodType, ids: IdPools = () => undefined): fc.Arbitrary<unknown> {
  return build(schema, ids, '', schema);
}

function build(schema: z.ZodType, ids: IdPools, field: string, owner: z.ZodType): fc.Arbitrary<unknown> {
  const s = schema as unknown as z.core.$ZodTypes;
  const def = s._zod.def;
  const arbitrary = shape(schema, def, ids, field, owner);
  const unmodelled = (def.checks ?? []).some((c) => !MODELLED.has(c._zod.def.check));
  return unmodelled || def.type === 'pipe' ? arbitrary.filter((v) => schema.safeParse(v).success) : arbitrary;
}

function shape(
  schema: z.ZodType,
  def: z.core.$ZodTypes['_zod']['def'],
  ids: IdPools,
  field: string,
  owner: z.ZodType,
): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'string':
      return text(schema, leafOf(schema), ids(field), owner);
    case 'number':
      return number(leafOf(schema));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...def.values);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries));
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.option(build(def.innerType as z.ZodType, ids, field, owner), { nil: undefined });
    case 'nullable':
      return fc.option(build(def.innerType as z.ZodType, ids, field, owner), { nil: null });
    case 'readonly':
      return build(def.innerType as z.ZodType, ids, field, owner);
    case 'pipe':
      // The input side is what a client sends; the pipe (transform, refinements) judges it.
      return build(def.in as z.ZodType, ids, field, schema);
    case 'union':
      return fc.oneof(...def.options.map((o) => build(o as z.ZodType, ids, field, owner)));
    case 'array': {
      const leaf = leafOf(schema);
      const minLength = leaf.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(leaf.maxItems ?? MAX_ITEMS, MAX_ITEMS));
      return fc.array(build(def.element as z.ZodType, ids, field, owner), { minLength, maxLength });
    }
    case 'object': {
      const entries = Object.entries(def.shape);
      const model = Object.fromEntries(
        entries.map(([key, value]) => [key, build(value as z.ZodType, ids, key, value as z.ZodType)]),
      );
      const optional = new Set(['optional', 'default', 'prefault']);
      const requiredKeys = entries
        .filter(([, value]) => !optional.has((value as z.core.$ZodTypes)._zod.def.type))
        .map(([key]) => key);
      return fc.record(model, { requiredKeys });
    }
    case 'any':
    case 'bigint':
    case 'catch':
    case 'custom':
    case 'date':
    case 'file':
    case 'function':
    case 'intersection':
    case 'lazy':
    case 'map':
    case 'nan':
    case 'never':
    case 'nonoptional':
    case 'promise':
    case 'record':
    case 'set':
    case 'success':
    case 'symbol':
    case 'template_literal':
    case 'transform':
    case 'tuple':
    case 'undefined':
    case 'unknown':
    case 'void':
      throw new Error(
        `no generator for zod "${def.type}" (field "${field}"): extend test/helpers/zod-arbitrary.ts`,
      );
  }
}

function text(
  schema: z.ZodType,
  leaf: Leaf,
  pool: readonly string[] | undefined,
  owner: z.ZodType,
): fc.Arbitrary<string> {
  if (leaf.contentEncoding === 'base64') return base64(leaf, owner);
  const minLength = leaf.minLength ?? 0;
  const maxLength = leaf.maxLength ?? Math.max(minLength, MAX_TEXT);
  const fits = (v: string) => v.length >= minLength && v.length <= maxLength;
  const random =
    leaf.format === 'uuid'
      ? fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] })
      : leaf.pattern !== undefined
        ? fc.stringMatching(new RegExp(leaf.pattern)).filter(fits)
        : fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, MAX_TEXT) }).filter(fits);
  const accepted = (v: string) => schema.safeParse(v).success;
  const existing = (pool ?? []).filter(accepted);
  return existing.length === 0
    ? random.filter(accepted)
    : fc.oneof(fc.constantFrom(...existing), random.filter(accepted));
}

/**
 * Base64 of random bytes. How many bytes a field wants (a 24-byte nonce, a 64-byte signature) is
 * in a refinement that cannot be read: it is found by asking the field's own schema about every
 * length up to a few hundred bytes.
 */
function base64(leaf: Leaf, owner: z.ZodType): fc.Arbitrary<string> {
  const maxBytes = Math.floor(((leaf.maxLength ?? MAX_BYTES * 2) * 3) / 4);
  const probed = Math.min(maxBytes, 512);
  const lengths = Array.from({ length: probed + 1 }, (_, n) => n).filter(
    (n) => owner.safeParse(Buffer.alloc(n).toString('base64')).success,
  );
  if (lengths.length === 0) throw new Error('no byte length satisfies a base64 field');
  const length =
    lengths.length === probed + 1
      ? fc.integer({ min: 0, max: Math.min(maxBytes, MAX_BYTES) })
      : fc.constantFrom(...lengths);
  return length.chain((n) =>
    fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64')),
  );
}

function number(leaf: Leaf): fc.Arbitrary<number> {
  const integer = leaf.type === 'integer';
  const step = integer ? 1 : Number.EPSILON;
  const min =
    leaf.exclusiveMinimum !== undefined
      ? leaf.exclusiveMinimum + step
      : (leaf.minimum ?? -Number.MAX_SAFE_INTEGER);
  const max =
    leaf.exclusiveMaximum !== undefined
      ? leaf.exclusiveMaximum - step
      : (leaf.maximum ?? Number.MAX_SAFE_INTEGER);
  if (!integer) return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  // Bounds near the edges and small values near zero are where the interesting answers are.
  return fc.oneof(
    fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number),
    fc.constantFrom(min, max),
    fc.integer({ min: Math.max(min, -1000), max: Math.min(max, Math.max(min, -1000) + 2000) }),
  );
}
