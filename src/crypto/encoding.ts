// The one byte layout for everything that is signed or bound as associated data (docs/crypto-protocol.md):
// a domain-separation string, then each field in a fixed order:
//   text   -> uint32 big-endian byte length || UTF-8 bytes
//   bytes  -> uint32 big-endian byte length || bytes
//   number -> int64 big-endian (integers only)
//   null   -> uint32 0xffffffff
// The domain is encoded as a text field and names the message type and its version.

export type Field = string | Uint8Array | number | null;

export function encodeFields(domain: string, ...fields: Field[]): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(new TextEncoder().encode(domain))];
  for (const field of fields) {
    if (field === null) parts.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    else if (typeof field === 'string') parts.push(lengthPrefixed(new TextEncoder().encode(field)));
    else if (typeof field === 'number') parts.push(int64(field));
    else parts.push(lengthPrefixed(field));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

function int64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n)) throw new RangeError('only safe integers can be encoded');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(n), false);
  return out;
}

// Base64 without Node's Buffer, so that the same client core runs in a browser. Base64 is
// the standard alphabet with padding, as the API writes it; atob accepts nothing else.

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
