import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Where one run of the suite keeps what outlives a test file: the migrated template, logs, secrets
 * to scan for. The set-up script and every test file are children of the same tap process, so its
 * pid names the run; two runs side by side never share (or delete) each other's files.
 */
export const TEST_ROOT = path.join(os.tmpdir(), `clsm-tests-${process.ppid}`);
export const PGLITE_TEMPLATE = path.join(TEST_ROOT, 'pglite-template');
export const LOG_DIR = path.join(TEST_ROOT, 'logs');
export const SECRETS_DIR = path.join(TEST_ROOT, 'secrets');
/** The same run id names this run's databases on PostgreSQL: clsm_tpl_<run> and clsm_t_<run>_<random>. */
export const RUN_ID = process.ppid;
export const PG_TEMPLATE_DB = `clsm_tpl_${RUN_ID}`;

/** A fresh directory inside this run's root, removed with it by the suite's last step. */
export async function scratchDir(prefix: string): Promise<string> {
  await mkdir(TEST_ROOT, { recursive: true });
  return mkdtemp(path.join(TEST_ROOT, `${prefix}-`));
}
