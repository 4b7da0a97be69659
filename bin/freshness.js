// Whether compiled code is as new as its sources (the newest modification time under some paths),
// and the entry points that load the compiled code when it is.
// Plain JavaScript, so that the `clsm` command can ask before it loads any TypeScript.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written by scripts/build-server.ts when `tsc` has compiled src/ into dist/. */
export const COMPILED_STAMP = path.join(ROOT, 'dist', '.compiled');
/** What the compiled code is made from; the lockfile, for the dependencies the build bundles. */
export const COMPILED_FROM = [
  'src',
  'migrations',
  'scripts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
].map((p) => path.join(ROOT, p));

/** The newest modification time (ms) at or under `file`; 0 if it does not exist. */
export function newest(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

/** Whether dist/ was compiled after the last change to its sources. */
export function compiledIsFresh() {
  const stamp = newest(COMPILED_STAMP);
  return stamp > 0 && stamp >= Math.max(...COMPILED_FROM.map(newest));
}

/**
 * Loads an entry module (a path under the root, without extension): compiled from dist/ when fresh,
 * else its TypeScript source through tsx (a checkout being edited).
 */
export async function importEntry(entry) {
  if (compiledIsFresh()) return import(path.join(ROOT, 'dist', `${entry}.js`));
  const { register } = await import('tsx/esm/api');
  register();
  return import(path.join(ROOT, `${entry}.ts`));
}
