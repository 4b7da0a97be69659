import { z } from 'zod';
import { CASE_LOG_KINDS, type SignedCaseLogStatement } from '../crypto/case-log-statements.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';

// A situation's membership log on the wire: the statements as their authors signed them (binary
// fields in base64), which clients verify rather than believe; and the seal a client sends with an
// action that the log records (where the statement goes, when, and its signature).

export const caseLogEntrySchema = z.object({
  seq: z.number().int(),
  prevHash: z.string().nullable(),
  kind: z.enum(CASE_LOG_KINDS),
  authorId: z.uuid(),
  authorKeyVersion: z.number().int(),
  at: z.string(),
  subjectId: z.uuid().nullable(),
  compartments: z.array(z.string()).nullable(),
  keyVersion: z.number().int().nullable(),
  recipients: z.array(z.string()).nullable(),
  decision: z.string().nullable(),
  scope: z.array(z.string()).nullable(),
  hours: z.number().int().nullable(),
  until: z.string().nullable(),
  ref: z.number().int().nullable(),
  requestedBy: z.uuid().nullable(),
  signature: z.string(),
});

export type CaseLogEntryWire = z.output<typeof caseLogEntrySchema>;

export const caseLogPageSchema = z.object({
  entries: z.array(caseLogEntrySchema),
  /** The seq to ask `after` for the next page; null when this page ends the log. */
  nextAfter: z.number().int().nullable(),
});

/** What a client signs for an action the log records, beside the action's own fields. */
export const logSealWire = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  prevHash: z.base64().length(44).nullable(),
  at: z.iso.datetime(),
  signature: z.base64().length(88),
});

export type LogSealWire = z.output<typeof logSealWire>;

const unb64 = (s: string | null) => (s === null ? null : fromBase64(s));
const b64 = (b: Uint8Array | null) => (b === null ? null : toBase64(b));

export function caseLogFromWire(clsmId: string, caseId: string, e: CaseLogEntryWire): SignedCaseLogStatement {
  return { ...e, clsmId, caseId, prevHash: unb64(e.prevHash), signature: fromBase64(e.signature) };
}

export function caseLogToWire(s: SignedCaseLogStatement): CaseLogEntryWire {
  return {
    seq: s.seq,
    prevHash: b64(s.prevHash),
    kind: s.kind,
    authorId: s.authorId,
    authorKeyVersion: s.authorKeyVersion,
    at: s.at,
    subjectId: s.subjectId,
    compartments: s.compartments === null ? null : [...s.compartments],
    keyVersion: s.keyVersion,
    recipients: s.recipients === null ? null : [...s.recipients],
    decision: s.decision,
    scope: s.scope === null ? null : [...s.scope],
    hours: s.hours,
    until: s.until,
    ref: s.ref,
    requestedBy: s.requestedBy,
    signature: toBase64(s.signature),
  };
}
