import t from 'tap';
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { makeInitdbTemplate } from '../../src/db/initdb-template.js';
import { openPglite } from '../../src/db/pools.js';
import { scratchDir } from '../helpers/paths.js';

// A new embedded database starts as a copy of the installation's initdb instead of running initdb
// again; an existing one is opened as it is, and without the copy initdb runs.

const systemIdentifier = async (pglite: PGlite): Promise<string> =>
  String(
    (await pglite.query<{ id: bigint }>('select system_identifier as id from pg_control_system()')).rows[0]
      ?.id,
  );

t.test(
  'new data directories start from the initdb made by the build; existing ones are left as they are',
  async (t) => {
    const root = await scratchDir('initdb');
    const template = path.join(root, 'initdb');
    await makeInitdbTemplate(template);
    const writableByOthers = (await readdir(template, { recursive: true }))
      .map((name) => path.join(template, name))
      .filter((file) => (statSync(file).mode & 0o022) !== 0);
    t.same(writableByOthers, [], 'no file of the template is writable by anyone but its owner');

    const first = await openPglite(path.join(root, 'first'), template);
    const fromTemplate = await systemIdentifier(first);
    await first.exec('create table kept (note text); insert into kept values ($$still here$$)');
    await first.close();

    const second = await openPglite(path.join(root, 'second'), template);
    t.equal(await systemIdentifier(second), fromTemplate, 'a second directory is a copy of the same initdb');
    await second.close();

    const reopened = await openPglite(path.join(root, 'first'), template);
    t.same(
      (await reopened.query('select note from kept')).rows,
      [{ note: 'still here' }],
      'reopened, not replaced',
    );
    await reopened.close();

    const without = await openPglite(path.join(root, 'without'), path.join(root, 'missing'));
    t.not(await systemIdentifier(without), fromTemplate, 'without it, initdb runs');
    t.equal((await without.query('select 1 as one')).rows.length, 1);
    await without.close();
  },
);
