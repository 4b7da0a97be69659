import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { mustNotLeak } from './app.js';
import { NODE, nodeArgs } from './bare-node.js';

// The clsm command as an operator runs it: a real process, a real profile on disk, a real server.

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export type Clsm = (profile: string, args: string[], env?: Record<string, string>) => Promise<Run>;

export const PASSPHRASE = 'une phrase de passe de démonstration';

/** A runner whose profiles live in a fresh directory, removed at teardown. */
export async function cliRunner(
  t: { teardown(fn: () => unknown): void },
  serverUrl: string,
): Promise<{ clsm: Clsm; root: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'clsm-cli-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  mustNotLeak(PASSPHRASE);
  const clsm: Clsm = (profile, args, env = {}) =>
    new Promise((resolve) => {
      execFile(
        NODE,
        nodeArgs([path.join(PROJECT_ROOT, 'bin', 'clsm.js'), ...args]),
        {
          cwd: root,
          env: {
            ...process.env,
            CLSM_PROFILE: path.join(root, profile),
            CLSM_PASSPHRASE: PASSPHRASE,
            CLSM_SERVER: serverUrl,
            ...env,
          },
        },
        (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr });
        },
      );
    });
  return { clsm, root };
}

export const json = (run: Run): unknown => JSON.parse(run.stdout);
