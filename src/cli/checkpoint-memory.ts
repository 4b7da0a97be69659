import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CheckpointMemory, SeenCheckpoint } from '../client/audit-memory.js';
import { writePrivate } from './profile.js';

// The CLI's memory of the latest audit checkpoint it saw per CLSM: checkpoints.json in the profile
// directory (mode 0600), so that every command, whatever process runs it, holds the log against
// what this device saw before.

const fileSchema = z.record(
  z.uuid(),
  z.object({ seq: z.number().int().positive(), hash: z.base64(), publicKey: z.base64() }),
);

export async function fileCheckpointMemory(dir: string): Promise<CheckpointMemory> {
  const file = path.join(dir, 'checkpoints.json');
  let seen: Record<string, SeenCheckpoint> = {};
  try {
    seen = fileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    // A missing file is a device that saw nothing yet; a damaged one must not pass for that.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is damaged`);
  }
  return {
    get: (clsmId) => Promise.resolve(seen[clsmId]),
    remember: async (clsmId, cp) => {
      seen = { ...seen, [clsmId]: cp };
      await writePrivate(file, `${JSON.stringify(seen, null, 2)}\n`);
    },
  };
}
