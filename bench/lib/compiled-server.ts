import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { buildServerIfStale } from '../../scripts/build-server.js';
import { bundleSpecifier, importingFrom } from '../../scripts/kysely-bundle.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';

// The server under test runs compiled JavaScript, as `npm start` does (bin/server.js loads dist/):
// through tsx it would also hold the transpiler, its loader thread and every transpiled source with
// its source map, about as much memory as the benchmark measures. dist/ is compiled when stale;
// the benchmark's own server-side files (its entry, probe routes and bare baseline) are transpiled
// beside it, in dist/bench/lib, so that their imports of src/ resolve to the compiled dist/src.
// `tsc --noEmit -p .` type-checks them with the rest.

const SERVER_FILES = ['server-main', 'bare-app', 'probe-routes', 'server-protocol'];

/** Compiles what the server under test runs and returns its entry, a JavaScript file. */
export async function compiledServerEntry(): Promise<string> {
  await buildServerIfStale();
  const out = path.join(PROJECT_ROOT, 'dist', 'bench', 'lib');
  mkdirSync(out, { recursive: true });
  // Kysely from the build's bundle, as the compiled server has it: one copy in the process.
  const kysely = bundleSpecifier(path.join(PROJECT_ROOT, 'dist'), out);
  for (const name of SERVER_FILES) {
    const source = readFileSync(path.join(PROJECT_ROOT, 'bench', 'lib', `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: `${name}.ts`,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(path.join(out, `${name}.js`), importingFrom(outputText, kysely));
  }
  return path.join(out, 'server-main.js');
}
