import { createHash, randomBytes } from 'node:crypto';

// Crafted Ed25519 inputs: public keys of small order (the eight torsion points, and non-canonical
// encodings of some of them), with the signature R = identity, S = 0. Cofactorless verification
// (OpenSSL's) computes [S]B - [k]A = -[k]A with k = SHA-512(R || A || M) mod L, and compares its
// encoding with R: for any A whose order divides 8 it is the identity whenever k = 0 mod 8, that is
// for one message in eight (every message for the identity itself). A forger picks the message.

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** The group order of Ed25519's prime subgroup. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

export const IDENTITY_KEY = hex('01' + '00'.repeat(31));

/** R = identity, S = 0. */
export const IDENTITY_SIGNATURE = new Uint8Array([...IDENTITY_KEY, ...new Uint8Array(32)]);

/** The eight points of order 1, 2, 4 and 8, canonically encoded. */
export const TORSION_KEYS: Record<string, Uint8Array> = {
  'identity (order 1)': IDENTITY_KEY,
  '(0, -1) (order 2)': hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  '(sqrt(-1), 0) (order 4)': hex('00'.repeat(32)),
  '(-sqrt(-1), 0) (order 4)': hex('00'.repeat(31) + '80'),
  'order 8, first': hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
  'order 8, second': hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'),
  'order 8, third': hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'),
  'order 8, fourth': hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'),
};

/** Non-canonical encodings: y >= p, or x = 0 with the sign bit set. */
export const NON_CANONICAL_KEYS: Record<string, Uint8Array> = {
  'identity with the sign bit set': hex('01' + '00'.repeat(30) + '80'),
  'identity as y = p + 1': hex('ee' + 'ff'.repeat(30) + '7f'),
  'order 4 as y = p': hex('ed' + 'ff'.repeat(30) + '7f'),
  '(0, -1) with the sign bit set': hex('ec' + 'ff'.repeat(31)),
};

export const SMALL_ORDER_KEYS: Record<string, Uint8Array> = { ...TORSION_KEYS, ...NON_CANONICAL_KEYS };

const littleEndian = (bytes: Uint8Array) => BigInt('0x' + Buffer.from(bytes).reverse().toString('hex'));

/** Whether R = identity, S = 0 passes cofactorless verification for this key and message. */
export function forgeable(key: Uint8Array, message: Uint8Array): boolean {
  const k = littleEndian(createHash('sha512').update(IDENTITY_KEY).update(key).update(message).digest()) % L;
  return k % 8n === 0n;
}

/** Tries messages built from random 32-byte inputs until R = identity, S = 0 passes for the key. */
export function forgeFor(
  key: Uint8Array,
  messageFor: (input: Uint8Array) => Uint8Array,
): { input: Uint8Array; message: Uint8Array } {
  for (;;) {
    const input = new Uint8Array(randomBytes(32));
    const message = messageFor(input);
    if (forgeable(key, message)) return { input, message };
  }
}

/** The same signature with S + L: still a solution of the equation, but S is not reduced. */
export function withUnreducedS(signature: Uint8Array): Uint8Array {
  const s = littleEndian(signature.subarray(32)) + L;
  const bytes = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse();
  return new Uint8Array([...signature.subarray(0, 32), ...bytes]);
}
