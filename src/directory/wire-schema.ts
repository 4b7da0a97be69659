import { z } from 'zod';
import { DIRECTORY_KINDS, type SignedStatement } from '../crypto/directory-statements.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';

// The directory log on the wire: the statements as their authors signed them (binary fields in
// base64), and the hash the server computed, which clients recompute rather than believe.

export const directoryEntrySchema = z.object({
  seq: z.number().int(),
  prevHash: z.string().nullable(),
  kind: z.enum(DIRECTORY_KINDS),
  authorId: z.uuid(),
  subjectId: z.uuid(),
  role: z.string().nullable(),
  organisation: z.string().nullable(),
  displayName: z.string().nullable(),
  signPublicKey: z.string().nullable(),
  boxPublicKey: z.string().nullable(),
  keyVersion: z.number().int().nullable(),
  signature: z.string(),
});

export type DirectoryEntryWire = z.output<typeof directoryEntrySchema>;

export const directoryPageSchema = z.object({
  entries: z.array(directoryEntrySchema),
  /** The seq to ask `after` for the next page; null when this page ends the log. */
  nextAfter: z.number().int().nullable(),
});

const unb64 = (s: string | null) => (s === null ? null : fromBase64(s));
const b64 = (b: Uint8Array | null) => (b === null ? null : toBase64(b));

export function statementFromWire(clsmId: string, e: DirectoryEntryWire): SignedStatement {
  return {
    clsmId,
    seq: e.seq,
    prevHash: unb64(e.prevHash),
    kind: e.kind,
    authorId: e.authorId,
    subjectId: e.subjectId,
    role: e.role,
    organisation: e.organisation,
    displayName: e.displayName,
    signPublicKey: unb64(e.signPublicKey),
    boxPublicKey: unb64(e.boxPublicKey),
    keyVersion: e.keyVersion,
    signature: fromBase64(e.signature),
  };
}

export function statementToWire(s: SignedStatement): DirectoryEntryWire {
  return {
    seq: s.seq,
    prevHash: b64(s.prevHash),
    kind: s.kind,
    authorId: s.authorId,
    subjectId: s.subjectId,
    role: s.role,
    organisation: s.organisation,
    displayName: s.displayName,
    signPublicKey: b64(s.signPublicKey),
    boxPublicKey: b64(s.boxPublicKey),
    keyVersion: s.keyVersion,
    signature: toBase64(s.signature),
  };
}
