import { toBase64 } from '../crypto/encoding.js';
import { encryptEntry } from '../crypto/entries.js';
import type { Compartment } from './case-wire.js';
import type { Identity } from './client.js';

// An entry as the API takes it: a fresh id, encrypted under the given key version and signed by
// this device, over its situation, compartment, key version, author, kind and what it refers to.

export async function sealEntry(
  identity: Identity,
  where: { caseId: string; compartment: Compartment; keyVersion: number; key: Uint8Array },
  plaintext: Uint8Array,
  kind: string,
  refersTo: string | null,
) {
  const { caseId, compartment, keyVersion, key } = where;
  const id = globalThis.crypto.randomUUID();
  const sealed = await encryptEntry(
    { caseId, compartment, entryId: id, keyVersion, authorId: identity.memberId, kind, refersTo },
    plaintext,
    key,
    identity.keys.signSecretKey,
  );
  return {
    id,
    keyVersion,
    kind,
    refersTo,
    nonce: toBase64(sealed.nonce),
    ciphertext: toBase64(sealed.ciphertext),
    signature: toBase64(sealed.signature),
  };
}
