import { createHash } from 'node:crypto';
import t from 'tap';
import { canonicalJson, contentHash } from '../../src/stats/releases/canonical-json.js';

t.test('keys sorted at every depth, arrays kept in order, no whitespace', async (t) => {
  const value = { b: 1, a: [{ z: 'é', y: null }, true], c: { e: 2, d: 'n.d.' } };
  t.equal(canonicalJson(value), '{"a":[{"y":null,"z":"é"},true],"b":1,"c":{"d":"n.d.","e":2}}');
  t.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }), 'insertion order does not matter');
});

t.test('the hash is SHA-256 of the canonical UTF-8 bytes', async (t) => {
  const expected = createHash('sha256').update(Buffer.from('{"a":"é","b":[2,1]}', 'utf8')).digest('hex');
  t.equal(contentHash({ b: [2, 1], a: 'é' }), expected);
  t.match(contentHash({}), /^[0-9a-f]{64}$/);
});

t.test('only JSON values can be frozen', async (t) => {
  t.throws(() => canonicalJson(Number.NaN), TypeError);
  t.throws(() => canonicalJson({ a: Infinity }), TypeError);
  t.throws(() => canonicalJson([undefined]), TypeError);
  t.throws(() => canonicalJson({ f: () => 1 }), TypeError);
  t.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}', 'an absent optional field is left out');
});
