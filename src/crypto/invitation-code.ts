import { encodeFields } from './encoding.js';
import { equalBytes } from './directory-replay.js';
import { loadSodium } from './sodium.js';

// Enrollment that authenticates both ways (docs/crypto-protocol.md, "Invitation codes and the short
// authentication string"). The inviter's device makes the code: a 16-byte secret s, derived from
// its signing secret and the invitation id (so it keeps nothing), and the first 16 bytes of the
// root's fingerprint digest. The server only ever sees the SHA-256 of a redeem token derived from s.
// Once enrolled, the newcomer reads a 4-symbol code keyed by s over its new keys to the inviter, whose
// device certifies the keys the server registered only if it computes the same code.

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SAS_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface InvitationCode {
  secret: Uint8Array;
  /** The first 16 bytes of the SHA-256 the root's fingerprint shows. */
  anchor: Uint8Array;
}

/** The invitation's secret: the same for the same inviter, CLSM and invitation id, unguessable to others. */
export async function invitationSecret(
  signSecretKey: Uint8Array,
  clsmId: string,
  invitationId: string,
): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_generichash(
    16,
    encodeFields('clsm.invitation-secret.v1', clsmId, invitationId),
    signSecretKey,
  );
}

/** 32 bytes (secret ‖ anchor) in Crockford base32, in groups of four: what the inviter hands over. */
export function formatInvitationCode(code: InvitationCode): string {
  return (base32(new Uint8Array([...code.secret, ...code.anchor])).match(/.{1,4}/g) ?? []).join('-');
}

/** Undefined when the text is not such a code (a first coordinator's code is shorter). */
export function parseInvitationCode(text: string): InvitationCode | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== 52) return undefined;
  const bytes = unbase32(clean, 32);
  if (bytes === undefined) return undefined;
  return { secret: bytes.slice(0, 16), anchor: bytes.slice(16) };
}

/** What the newcomer's device sends as its code: 20 bytes keyed by the secret, in the usual code format. */
export async function redeemToken(secret: Uint8Array): Promise<string> {
  const s = await loadSodium();
  const token = base32(s.crypto_generichash(20, encodeFields('clsm.invitation-redeem.v1'), secret));
  return (token.match(/.{4}/g) ?? []).join('-');
}

/** What the inviter's device gives the server: SHA-256 of the redeem token without its dashes. */
export async function redeemTokenHash(secret: Uint8Array): Promise<Uint8Array> {
  const s = await loadSodium();
  const token = (await redeemToken(secret)).replace(/-/g, '');
  return s.crypto_hash_sha256(new TextEncoder().encode(token));
}

/** 20 bits keyed by the secret over the member's ids and new keys, as 4 symbols of Parsec's alphabet. */
export async function shortAuthenticationString(
  secret: Uint8Array,
  owner: { clsmId: string; memberId: string },
  signPublicKey: Uint8Array,
  boxPublicKey: Uint8Array,
): Promise<string> {
  const s = await loadSodium();
  const key = s.crypto_generichash(32, encodeFields('clsm.sas-key.v1', 'sas'), secret);
  const mac = s.crypto_generichash(
    32,
    encodeFields('clsm.sas.v1', owner.clsmId, owner.memberId, signPublicKey, boxPublicKey),
    key,
  );
  const bits = (((mac[0] as number) << 16) | ((mac[1] as number) << 8) | (mac[2] as number)) >>> 4;
  let out = '';
  for (let i = 3; i >= 0; i--) out += SAS_ALPHABET.charAt((bits >>> (i * 5)) & 31);
  return out;
}

/** Whether the code the user typed is the expected one: constant time, case and spaces ignored. */
export function sameShortString(typed: string, expected: string): boolean {
  const clean = typed.toUpperCase().replace(/[\s-]/g, '');
  if (clean.length !== expected.length) return false;
  return equalBytes(new TextEncoder().encode(clean), new TextEncoder().encode(expected));
}

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += CODE_ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += CODE_ALPHABET.charAt((value << (5 - bits)) & 31);
  return out;
}

function unbase32(text: string, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const ch of text) {
    const v = CODE_ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8 && n < length) {
      out[n++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return n === length ? out : undefined;
}
