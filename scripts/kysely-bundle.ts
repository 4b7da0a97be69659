import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../src/util/paths.js';

// Kysely ships as 262 ES modules, which Node resolves, reads and links one by one at every start
// of the server and of the `clsm` command. The build bundles the package into one file beside the
// compiled code and points the compiled code's imports of `kysely` at it: the same code, loaded as
// one module (docs/adr/0044-kysely-loaded-as-one-bundled-module.md). Sources and tests, run through
// tsx, keep importing the package itself.

/** The bundle's place under the compiled tree. */
export const KYSELY_BUNDLE = path.join('vendor', 'kysely.js');

const IMPORT_OF_KYSELY = /^((?:import|export)\b[^\n]* from )'kysely';$/gm;

/** `source`, a compiled module, with its imports of the package `kysely` taken from `specifier`. */
export function importingFrom(source: string, specifier: string): string {
  return source.replace(IMPORT_OF_KYSELY, (_, head: string) => `${head}'${specifier}';`);
}

/** The specifier by which a module of `dir` imports the bundle of the compiled tree `outDir`. */
export function bundleSpecifier(outDir: string, dir: string): string {
  const relative = path.relative(dir, path.join(outDir, KYSELY_BUNDLE)).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function compiledModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return compiledModules(file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

/**
 * Bundles Kysely into `outDir` and points every compiled module under it at the bundle; returns how
 * many modules import it.
 */
export async function bundleKysely(outDir: string): Promise<number> {
  const bundle = path.join(outDir, KYSELY_BUNDLE);
  await build({
    entryPoints: [fileURLToPath(import.meta.resolve('kysely'))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  let importing = 0;
  for (const file of compiledModules(outDir)) {
    if (file === bundle) continue;
    const source = readFileSync(file, 'utf8');
    const pointed = importingFrom(source, bundleSpecifier(outDir, path.dirname(file)));
    if (pointed === source) continue;
    writeFileSync(file, pointed);
    importing += 1;
  }
  return importing;
}

// `npm run build` (the container's build): after tsc, as scripts/build-server.ts does.
if (import.meta.url === `file://${process.argv[1] ?? ''}`)
  await bundleKysely(path.join(PROJECT_ROOT, 'dist'));
