import t from 'tap';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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

t.test('a copy left by a start stopped midway is removed by the next start that copies', async (t) => {
  const root = await scratchDir('initdb-left');
  const template = path.join(root, 'initdb');
  await makeInitdbTemplate(template);
  const dataDir = path.join(root, 'pglite');
  const ended = spawnSync(process.execPath, ['-e', '']).pid;
  const left = (pid: number | string) => {
    const dir = path.join(root, `pglite.${pid}.initdb`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    return path.basename(dir);
  };
  const stopped = left(ended);
  const running = left(process.ppid);
  const own = left(process.pid);
  const other = left('other');
  const pglite = await openPglite(dataDir, template);
  await pglite.close();
  const names = await readdir(root);
  t.notOk(names.includes(stopped), `the copy of a process that ended is removed (${stopped})`);
  t.notOk(names.includes(own), 'and one of this process id');
  t.ok(names.includes(running), 'the copy of a running process is left to it');
  t.ok(names.includes(other), 'a name that is not a copy is left');
  t.ok(names.includes('pglite'), 'the database is in place');
});
