import { verifyDetached } from '../crypto/device-keys.js';
import { fromBase64 } from '../crypto/encoding.js';
import { checkpointMessage } from '../crypto/messages.js';
import type { z } from 'zod';
import type { auditHeadSchema } from '../audit/wire-schema.js';

// Every client is a witness of its CLSM's audit log: it remembers the latest signed checkpoint it
// saw and refuses a log that went backwards (a lower head, or another hash at the seq it saw
// vouched for), or a checkpoint signed by another key than the one it first saw. A schema owner who
// cuts the tail must then also reach every device that saw it. Where the memory lives is the
// caller's choice (the CLI keeps it in the profile directory).

export interface SeenCheckpoint {
  seq: number;
  /** base64, as the server sends it. */
  hash: string;
  publicKey: string;
}

export interface CheckpointMemory {
  get(clsmId: string): Promise<SeenCheckpoint | undefined>;
  remember(clsmId: string, seen: SeenCheckpoint): Promise<void>;
}

export function inMemoryCheckpoints(initial: Record<string, SeenCheckpoint> = {}): CheckpointMemory {
  const seen = { ...initial };
  return {
    get: (clsmId) => Promise.resolve(seen[clsmId]),
    remember: (clsmId, cp) => {
      seen[clsmId] = cp;
      return Promise.resolve();
    },
  };
}

export class AuditRollbackError extends Error {
  override name = 'AuditRollbackError';
}

export type HeadAnswer = z.output<typeof auditHeadSchema>;

const unb64 = fromBase64;

/** Fetches the head (`fetchHead(knownSeq)`), holds it against the memory, remembers it if it is newer. */
export async function checkAuditHead(
  clsmId: string,
  memory: CheckpointMemory,
  fetchHead: (knownSeq: number | undefined) => Promise<HeadAnswer>,
): Promise<void> {
  const seen = await memory.get(clsmId);
  const head = await fetchHead(seen?.seq);
  const cp = head.checkpoint;
  if (seen !== undefined) {
    const refuse = (why: string) =>
      new AuditRollbackError(
        `the audit log of this CLSM went backwards: ${why} (this device saw seq ${seen.seq} signed); tell your DPO`,
      );
    if (cp === null) throw refuse('the server shows no signed checkpoint');
    if (cp.publicKey !== seen.publicKey) throw refuse('its checkpoints are signed by another key');
    if (cp.seq < seen.seq) throw refuse(`the latest checkpoint is at seq ${cp.seq}`);
    if (head.known?.seq !== seen.seq || head.known.hash !== seen.hash)
      throw refuse(`the log no longer holds the event this device saw at seq ${seen.seq}`);
  }
  if (cp === null) return;
  const valid = await verifyDetached(
    checkpointMessage(clsmId, cp.seq, unb64(cp.hash), new Date(cp.signedAt).getTime()),
    unb64(cp.signature),
    unb64(cp.publicKey),
  );
  if (!valid)
    throw new AuditRollbackError('the latest audit checkpoint is not validly signed; tell your DPO');
  if (seen === undefined || cp.seq > seen.seq)
    await memory.remember(clsmId, { seq: cp.seq, hash: cp.hash, publicKey: cp.publicKey });
}
