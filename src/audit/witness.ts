import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CheckpointWitness, WitnessedCheckpoint } from './signer.js';

// A witness outside the database: every checkpoint the server signs is appended, as one JSON line,
// to a file the database's owner cannot reach (another disk, a WORM mount, a log shipper reading
// it). Opened with O_APPEND and synced before the checkpoint counts as published. `clsm audit
// verify` and the verify route hold the chain against it: a cut tail shows even when the
// checkpoints in the database were cut with it.

const WITNESS_FORMAT = 'clsm-audit-witness/1';

export function fileWitness(file: string): CheckpointWitness {
  return {
    publish: async (cp, publicKey) => {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const line = JSON.stringify({
        format: WITNESS_FORMAT,
        tenant: cp.clsmId,
        seq: cp.seq,
        hash: cp.hash.toString('base64'),
        signedAt: cp.signedAt.toISOString(),
        keyId: cp.keyId,
        publicKey: publicKey.toString('base64'),
        signature: cp.signature.toString('base64'),
      });
      const handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
      try {
        await handle.write(`${line}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    read: () => readWitnessFile(file),
  };
}

const lineSchema = z.object({
  format: z.literal(WITNESS_FORMAT),
  tenant: z.uuid(),
  seq: z.number().int().positive(),
  hash: z.base64(),
  signedAt: z.iso.datetime(),
  keyId: z.string(),
  publicKey: z.base64(),
  signature: z.base64(),
});

/**
 * The checkpoints of a witness file (untrusted input: signatures are checked by the verifier). A
 * missing file holds none; a line that is not a checkpoint is an error, not something to skip.
 */
export async function readWitnessFile(file: string): Promise<WitnessedCheckpoint[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      let parsed: z.infer<typeof lineSchema>;
      try {
        parsed = lineSchema.parse(JSON.parse(l));
      } catch {
        throw new Error(`${file}, line ${i + 1}: not a witnessed checkpoint (${WITNESS_FORMAT})`);
      }
      return {
        clsmId: parsed.tenant,
        seq: parsed.seq,
        hash: Buffer.from(parsed.hash, 'base64'),
        signedAt: new Date(parsed.signedAt),
        keyId: parsed.keyId,
        signature: Buffer.from(parsed.signature, 'base64'),
        publicKey: Buffer.from(parsed.publicKey, 'base64'),
      };
    });
}
