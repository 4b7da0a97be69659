import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMPILED_STAMP, compiledIsFresh, ROOT } from '../bin/freshness.js';
import { CHECKED_POLICIES_FILE, recordCheckedPolicies } from '../src/access/checked-policies-file.js';
import { readPolicySources } from '../src/access/policy-sources.js';
import { INITDB_TEMPLATE, makeInitdbTemplate } from '../src/db/initdb-template.js';
import { POLICIES_DIR } from '../src/util/paths.js';
import { bundleKysely } from './kysely-bundle.js';

// Compiles src/ (with migrations/ and scripts/) to dist/ when it is missing or older than its
// sources: run by `npm ci` (prepare), so that the `clsm` command starts from JavaScript rather than
// transpiling its TypeScript at every call (bin/clsm.js falls back to the sources when stale), with
// Kysely bundled into one module (scripts/kysely-bundle.ts).
// It also checks the shipped policies against the Cedar schema once, and records the outcome for
// the server's start (src/access/checked-policies-file.ts); and it runs PGlite's initdb once, for
// every new embedded database to start from (src/db/initdb-template.ts).

export async function buildServerIfStale(): Promise<'built' | 'fresh'> {
  if (compiledIsFresh()) return 'fresh';
  const started = Date.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('tsc -p tsconfig.build.json failed');
  await bundleKysely(path.join(ROOT, 'dist'));
  mkdirSync(path.dirname(COMPILED_STAMP), { recursive: true });
  await recordCheckedPolicies(await readPolicySources(POLICIES_DIR), CHECKED_POLICIES_FILE);
  // Stamped with the time the compilation started: a source saved meanwhile makes it stale.
  const at = new Date(started);
  writeFileSync(COMPILED_STAMP, `${at.toISOString()}\n`);
  utimesSync(COMPILED_STAMP, at, at);
  return 'built';
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  if ((await buildServerIfStale()) === 'built') process.stdout.write('server and CLI compiled in dist/\n');
  if (!existsSync(INITDB_TEMPLATE)) {
    // Another version of PGlite's initdb is of no use to this one.
    for (const name of readdirSync(path.dirname(INITDB_TEMPLATE))) {
      if (name.startsWith('pglite-initdb-')) {
        rmSync(path.join(path.dirname(INITDB_TEMPLATE), name), { recursive: true, force: true });
      }
    }
    await makeInitdbTemplate();
    process.stdout.write(`embedded database initialised in ${path.relative(ROOT, INITDB_TEMPLATE)}\n`);
  }
}
