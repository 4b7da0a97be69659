import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { bundleKysely, importingFrom, KYSELY_BUNDLE } from '../../scripts/kysely-bundle.js';

// The build loads Kysely as one bundled module (scripts/kysely-bundle.ts, docs/adr/0044): the
// compiled modules' imports of the package point at the bundle, nothing else in them changes, and
// the bundle is Kysely whole, with nothing left to load from node_modules.

t.test('only the import declarations of the package kysely are pointed at the bundle', async (t) => {
  const compiled = [
    "import { Kysely, sql } from 'kysely';",
    "export { sql } from 'kysely';",
    "import { helper } from 'kysely-helpers';",
    "import { kyselyOver } from './db/database.js';",
    'const note = "from \'kysely\';";',
    "// the statement is built with sql from 'kysely';",
  ].join('\n');
  t.equal(
    importingFrom(compiled, '../vendor/kysely.js'),
    [
      "import { Kysely, sql } from '../vendor/kysely.js';",
      "export { sql } from '../vendor/kysely.js';",
      "import { helper } from 'kysely-helpers';",
      "import { kyselyOver } from './db/database.js';",
      'const note = "from \'kysely\';";',
      "// the statement is built with sql from 'kysely';",
    ].join('\n'),
  );
});

t.test('a compiled tree bundled: its modules run on the bundle, which loads nothing else', async (t) => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'clsm-kysely-bundle-'));
  t.teardown(() => {
    rmSync(out, { recursive: true, force: true });
  });
  mkdirSync(path.join(out, 'src', 'db'), { recursive: true });
  const module = path.join(out, 'src', 'db', 'compile.js');
  writeFileSync(
    module,
    [
      "import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, } from 'kysely';",
      'const db = new Kysely({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(),',
      '  createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() } });',
      "export const compiled = db.selectFrom('entries').select('id').where('case_id', '=', 'c1').compile();",
    ].join('\n'),
  );
  writeFileSync(path.join(out, 'src', 'plain.js'), 'export const plain = 1;\n');

  t.equal(await bundleKysely(out), 1, 'one module imports Kysely');
  t.match(readFileSync(module, 'utf8'), "from '../../vendor/kysely.js';");
  t.equal(readFileSync(path.join(out, 'src', 'plain.js'), 'utf8'), 'export const plain = 1;\n');
  const bundle = readFileSync(path.join(out, KYSELY_BUNDLE), 'utf8');
  t.notMatch(bundle, /^\s*(import|export)\b[^\n]* from ['"]/m, 'the bundle imports no other module');
  const { compiled } = (await import(pathToFileURL(module).href)) as {
    compiled: { sql: string; parameters: unknown[] };
  };
  t.equal(compiled.sql, 'select "id" from "entries" where "case_id" = $1');
  t.same(compiled.parameters, ['c1']);
});
