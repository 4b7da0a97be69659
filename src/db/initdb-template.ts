import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PROJECT_ROOT } from '../util/paths.js';
import { isAlive } from './data-dir-lock.js';

// PGlite's initdb is most of a first start (5 s of 9 on a slow host): the build runs it once per
// installation and keeps the directory it made, and a new data directory starts as a copy of it
// instead of running initdb again (docs/adr/0038). The copy is named by PGlite's version: another
// version's is ignored, and initdb runs as before.

const PGLITE_PACKAGE = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))),
  '..',
  'package.json',
);
const PGLITE_VERSION = (JSON.parse(readFileSync(PGLITE_PACKAGE, 'utf8')) as { version: string }).version;

/** Where the build keeps the data directory made by this version of PGlite's initdb. */
export const INITDB_TEMPLATE = path.join(PROJECT_ROOT, 'dist', `pglite-initdb-${PGLITE_VERSION}`);

/**
 * Makes `dataDir` a copy of `template` if it is missing or empty; an existing database, or no
 * template, is left to PGlite. The copy is made beside it and renamed into place: a start stopped
 * midway leaves no half-made database, and its copy is removed by the next start that copies.
 * Copied synchronously: less than half the time of the asynchronous copy, at a start that serves
 * nothing yet.
 */
export async function startFromTemplate(dataDir: string, template: string): Promise<void> {
  if (!existsSync(path.join(template, 'PG_VERSION'))) return;
  const present = await readdir(dataDir).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  });
  if (present.length > 0) return;
  await removeStoppedCopies(dataDir);
  const building = `${dataDir}.${process.pid}.initdb`;
  cpSync(template, building, { recursive: true });
  await rename(building, dataDir);
}

/** Removes the copies beside `dataDir` of starts that stopped before renaming theirs (`<dir>.<pid>.initdb`). */
async function removeStoppedCopies(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  const prefix = `${path.basename(dataDir)}.`;
  const names = await readdir(parent).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.initdb')) continue;
    const pid = name.slice(prefix.length, -'.initdb'.length);
    if (/^\d+$/.test(pid) && (Number(pid) === process.pid || !isAlive(Number(pid))))
      await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Runs initdb into `template` (made beside it, renamed into place), writable by its owner only. */
export async function makeInitdbTemplate(template = INITDB_TEMPLATE): Promise<void> {
  const building = `${template}.${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const pglite = await PGlite.create(building);
  await pglite.close();
  // PGlite makes its files writable by anyone; a template others could write would be theirs to
  // plant into every new database.
  keepToOwner(building);
  await rename(building, template);
}

function keepToOwner(file: string): void {
  const isDirectory = statSync(file).isDirectory();
  chmodSync(file, isDirectory ? 0o755 : 0o644);
  if (isDirectory) for (const name of readdirSync(file)) keepToOwner(path.join(file, name));
}
