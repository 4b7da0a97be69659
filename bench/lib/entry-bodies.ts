import { randomBytes, randomUUID } from 'node:crypto';
import { encryptEntry } from '../../src/crypto/entries.js';
import type { WriterClsm } from './fixtures.js';

// Request bodies for the write path, made before a run starts so that the load generator only
// sends them. Each secure entry is genuinely new and valid: a fresh id, encrypted under the case's
// current key with its full context as associated data, and signed by its author with the SDK's
// crypto. A duplicate or a bad signature would be refused, and a refused request measures nothing.

const PLAINTEXT = randomBytes(4096);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export async function signedEntryBodies(clsm: WriterClsm, caseId: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const sealed = await encryptEntry(
      {
        caseId,
        compartment: 'health',
        entryId: randomUUID(),
        keyVersion: clsm.keyVersion,
        authorId: clsm.writer.memberId,
        kind: 'note',
        refersTo: null,
      },
      PLAINTEXT,
      clsm.healthKey,
      clsm.writer.keys.signSecretKey,
    );
    bodies.push(
      JSON.stringify({
        id: sealed.context.entryId,
        keyVersion: sealed.context.keyVersion,
        kind: 'note',
        refersTo: null,
        nonce: b64(sealed.nonce),
        ciphertext: b64(sealed.ciphertext),
        signature: b64(sealed.signature),
      }),
    );
  }
  return bodies;
}

/** The baseline's bodies: the same shape and sizes (4 KB and its tag, nonce, signature), no crypto. */
export function bareEntryBodies(keyVersion: number, count: number): string[] {
  const ciphertext = b64(randomBytes(PLAINTEXT.length + 16));
  return Array.from({ length: count }, () =>
    JSON.stringify({
      id: randomUUID(),
      keyVersion,
      kind: 'note',
      refersTo: null,
      nonce: b64(randomBytes(24)),
      ciphertext,
      signature: b64(randomBytes(64)),
    }),
  );
}
