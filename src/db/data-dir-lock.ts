import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/env.js';

// PGlite is a single-process database: two processes opening the same directory would corrupt it.
// A lock file holding the owner's pid keeps a second server (or `clsm` on DATA_DIR) out.

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'clsm.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new ConfigError(
          `${dataDir} is in use by process ${owner}: stop it first, or use the running server's API (e.g. GET /v1/audit/verify)`,
        );
      }
      // A stale lock from a process that died: take it over.
      await rm(file, { force: true });
    }
  }
  throw new ConfigError(`could not lock ${dataDir}`);
}

/** Whether a process of this id is running (one of another user's counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
