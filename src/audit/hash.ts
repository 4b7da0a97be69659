import { hash } from 'node:crypto';

// The chain hash, computed in Node exactly as the database trigger computes it
// (migrations/2026112202_audit.ts): any difference shows as a verification failure. The preimage is
// written into one buffer and hashed in one call: verification hashes every event of a CLSM.

export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainedEvent {
  clsm_id: string;
  seq: number;
  at: Date;
  type: string;
  outcome: string;
  reason: string | null;
  actor_id: string | null;
  actor_role: string | null;
  action: string | null;
  resource_type: string | null;
  resource_id: string | null;
  case_id: string | null;
  compartment: string | null;
  subject_id: string | null;
  key_version: number | null;
  legal_basis: string | null;
  legal_basis_id: string | null;
  request_id: string | null;
  /** Hashed only when set (events written before the field existed keep their hash). */
  occurrences?: number | null;
  prev_hash: Buffer;
  hash: Buffer;
}

const DOMAIN = 'clsm.audit.v1';

/** The fields after (prev_hash, seq, clsm_id, at), in hash order. */
function textFields(e: Omit<ChainedEvent, 'hash' | 'at'>): (string | null)[] {
  return [
    e.type,
    e.outcome,
    e.reason,
    e.actor_id,
    e.actor_role,
    e.action,
    e.resource_type,
    e.resource_id,
    e.case_id,
    e.compartment,
    e.subject_id,
    e.key_version === null ? null : String(e.key_version),
    e.legal_basis,
    e.legal_basis_id,
    e.request_id,
    ...(e.occurrences === null || e.occurrences === undefined ? [] : [String(e.occurrences)]),
  ];
}

let scratch = Buffer.allocUnsafe(4096);

/** The hash of an event; `atMs` saves callers that read times as numbers from building a Date. */
export function eventHash(
  e: Omit<ChainedEvent, 'hash' | 'at'> & { at?: Date },
  atMs = e.at?.getTime() ?? 0,
): Buffer {
  const fields = textFields(e);
  let size = 4 + DOMAIN.length + 32 + 8 + 4 + Buffer.byteLength(e.clsm_id) + 8;
  for (const f of fields) size += 4 + (f === null ? 0 : Buffer.byteLength(f));
  if (scratch.length < size) scratch = Buffer.allocUnsafe(size * 2);
  let o = writeField(scratch, 0, DOMAIN);
  o += e.prev_hash.copy(scratch, o);
  o = scratch.writeBigInt64BE(BigInt(e.seq), o);
  o = writeField(scratch, o, e.clsm_id);
  o = scratch.writeBigInt64BE(BigInt(atMs), o);
  for (const f of fields) o = writeField(scratch, o, f);
  return hash('sha256', scratch.subarray(0, o), 'buffer');
}

/** uint32 length of the UTF-8 bytes then the bytes; 0xffffffff for NULL. Returns the next offset. */
function writeField(buf: Buffer, offset: number, value: string | null): number {
  if (value === null) return buf.writeUInt32BE(0xffffffff, offset);
  const n = buf.write(value, offset + 4, 'utf8');
  buf.writeUInt32BE(n, offset);
  return offset + 4 + n;
}
