import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { HandoverMemory } from '../client/handover.js';
import { writePrivate } from './profile.js';

// The CLI's memory of whom this device handed each situation's keys to: handovers.json in the
// profile directory (mode 0600), so that a member confirmed once is not asked about again by the
// next command, which is another process.

const fileSchema = z.record(z.uuid(), z.array(z.uuid()));

export async function fileHandoverMemory(dir: string): Promise<HandoverMemory> {
  const file = path.join(dir, 'handovers.json');
  let handed: Record<string, string[]> = {};
  try {
    handed = fileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    // A missing file is a device that handed nothing over yet; a damaged one must not pass for that.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is damaged`);
  }
  return {
    has: (caseId, memberId) => Promise.resolve(handed[caseId]?.includes(memberId) ?? false),
    remember: async (caseId, memberId) => {
      const known = handed[caseId] ?? [];
      if (known.includes(memberId)) return;
      handed = { ...handed, [caseId]: [...known, memberId] };
      await writePrivate(file, `${JSON.stringify(handed, null, 2)}\n`);
    },
  };
}
