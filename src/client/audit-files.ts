import type { z } from 'zod';
import { checkpointFileSchema, type verdictSchema } from '../audit/wire-schema.js';
import { verifyDetached } from '../crypto/device-keys.js';
import { fromBase64 } from '../crypto/encoding.js';
import { checkpointMessage } from '../crypto/messages.js';
import type { HeadAnswer } from './audit-memory.js';
import type { ClsmClient } from './client.js';

// The DPO's check of the audit log against checkpoints kept outside the database. What this device
// can check itself, it does: the file is of this CLSM, signed by the key whose checkpoints this
// device has held the log to since it first saw it, every signature valid. Only the chain itself,
// which never leaves the server, is recomputed there, against the file's checkpoints.

export type CheckpointFile = z.output<typeof checkpointFileSchema>;
export type ChainVerdict = z.output<typeof verdictSchema>;

export type FileVerdict =
  /** Not a checkpoint file (clsm-audit-checkpoints/1), or one that holds no checkpoint. */
  | { kind: 'unreadable' }
  | { kind: 'empty' }
  /** The checkpoints of another CLSM. */
  | { kind: 'other-clsm' }
  /** Signed by another key than the one this CLSM's checkpoints carry. */
  | { kind: 'other-key' }
  /** The checkpoint at `seq` does not bear a valid signature: the file was altered there. */
  | { kind: 'forged'; seq: number }
  /** The server's chain held against the file's checkpoints: intact, or where it breaks. */
  | { kind: 'checked'; verdict: ChainVerdict };

function parse(text: string): CheckpointFile | undefined {
  try {
    const parsed = checkpointFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class AuditFiles {
  constructor(private readonly client: ClsmClient) {}

  /** This CLSM's signed checkpoints, to keep outside the database's reach (coordinator, DPO). */
  checkpoints(): Promise<CheckpointFile> {
    return this.client.request('GET', '/v1/audit/checkpoints');
  }

  /** Checks the log against a checkpoint file's text (DPO). */
  async verify(text: string): Promise<FileVerdict> {
    const file = parse(text);
    if (file === undefined) return { kind: 'unreadable' };
    if (file.checkpoints.length === 0) return { kind: 'empty' };
    if (file.tenant !== this.client.identity.clsmId) return { kind: 'other-clsm' };
    // The request checks the head against this device's memory first: a key that changed since
    // this device first saw one is refused there.
    const head = await this.client.request<HeadAnswer>('GET', '/v1/audit/head');
    if (head.checkpoint !== null && head.checkpoint.publicKey !== file.publicKey)
      return { kind: 'other-key' };
    const publicKey = fromBase64(file.publicKey);
    for (const cp of file.checkpoints) {
      const message = checkpointMessage(file.tenant, cp.seq, fromBase64(cp.hash), Date.parse(cp.signedAt));
      if (!(await verifyDetached(message, fromBase64(cp.signature), publicKey)))
        return { kind: 'forged', seq: cp.seq };
    }
    const verdict = await this.client.request<ChainVerdict>('POST', '/v1/audit/verify', file);
    return { kind: 'checked', verdict };
  }
}
