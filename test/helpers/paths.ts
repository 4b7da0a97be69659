import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tap from 'tap';
import { scanLogs } from './leak-scan.js';

/**
 * This test file's own scratch space (logs, key files, data directories), named by its process and
 * removed when the file ends, after its leak scan (leak-scan.ts). Files run side by side never
 * share (or delete) each other's files.
 */
export const TEST_ROOT = path.join(os.tmpdir(), `clsm-test-${process.pid}`);
export const LOG_DIR = path.join(TEST_ROOT, 'logs');
/** What one run of the suite shares between its files (the adversarial summary): named by the runner. */
export const RUN_ROOT = path.join(os.tmpdir(), `clsm-run-${process.ppid}`);
/** Names this file's databases on PostgreSQL: clsm_t_<pid>_<random>. */
export const RUN_ID = process.pid;

/** A fresh directory inside this file's scratch space. */
export async function scratchDir(prefix: string): Promise<string> {
  await mkdir(TEST_ROOT, { recursive: true });
  return mkdtemp(path.join(TEST_ROOT, `${prefix}-`));
}

tap.teardown(async () => {
  await scanLogs(LOG_DIR);
  await rm(TEST_ROOT, { recursive: true, force: true });
});
