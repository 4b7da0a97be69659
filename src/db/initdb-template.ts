import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PROJECT_ROOT } from '../util/paths.js';

// PGlite's initdb is most of a first start (5 s of 9 on a slow host): the build runs it once per
// installation and keeps the directory it made as a tarball, and a new data directory starts from
// that tarball instead of running initdb again (docs/adr/0038). The tarball is named by PGlite's
// version: another version's is ignored, and the directory is made by initdb as before.

const PGLITE_PACKAGE = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))),
  '..',
  'package.json',
);
const PGLITE_VERSION = (JSON.parse(readFileSync(PGLITE_PACKAGE, 'utf8')) as { version: string }).version;

/** Where the build keeps the initialised directory of this version of PGlite. */
export const INITDB_TEMPLATE = path.join(PROJECT_ROOT, 'dist', `pglite-initdb-${PGLITE_VERSION}.tar`);

/** The tarball a new data directory starts from; undefined for an existing one or without a tarball. */
export async function initdbTemplateFor(dataDir: string, file: string): Promise<Blob | undefined> {
  if (existsSync(path.join(dataDir, 'PG_VERSION')) || !existsSync(file)) return undefined;
  return new Blob([await readFile(file)]);
}

/** Runs initdb in a scratch directory and writes its result to `file`, whole or not at all. */
export async function makeInitdbTemplate(file = INITDB_TEMPLATE): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'clsm-initdb-'));
  try {
    const pglite = await PGlite.create(path.join(scratch, 'pgdata'));
    const tarball = await pglite.dumpDataDir('none');
    await pglite.close();
    const building = `${file}.${process.pid}`;
    await writeFile(building, Buffer.from(await tarball.arrayBuffer()));
    await rename(building, file);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
