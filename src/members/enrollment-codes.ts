import { createHash, randomBytes } from 'node:crypto';

// One-time enrollment codes: 160 random bits in Crockford base32, shown once, stored as SHA-256.
// A fast hash is enough: with 160 bits of entropy there is nothing to brute-force.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ENROLLMENT_CODE_TTL_MS = 7 * 24 * 3600 * 1000;

export function newEnrollmentCode(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)?.join('-') ?? out;
}

/** Case, dashes and the usual look-alikes do not matter when a code is typed back. */
export function hashEnrollmentCode(code: string): Buffer {
  const normalised = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return createHash('sha256').update(normalised).digest();
}
