import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { openTestDatabase } from '../helpers/database.js';
import { bareClsm } from '../helpers/audit.js';
import { verifyClsm } from '../../src/audit/verify.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// Several API processes writing to the same CLSM must still build ONE linear chain.
// PostgreSQL only: PGlite is a single-process database.

const run = promisify(execFile);
const tdb = await openTestDatabase();
t.teardown(() => tdb.close());

const writers = (url: string, clsmIds: string[], count: number) =>
  Promise.all(
    Array.from({ length: 4 }, () =>
      run(
        NODE,
        nodeArgs([
          '--import',
          'tsx',
          path.join('test', 'helpers', 'audit-writer.ts'),
          url,
          clsmIds.join(','),
          String(count),
        ]),
        { cwd: PROJECT_ROOT },
      ),
    ),
  );

const seqs = async (clsmId: string) =>
  (
    await tdb.dbs.db
      .selectFrom('audit_events')
      .select('seq')
      .where('clsm_id', '=', clsmId)
      .orderBy('seq')
      .execute()
  ).map((r) => r.seq);

t.test(
  '4 processes x 250 concurrent audited writes on one CLSM',
  { skip: tdb.urls === undefined && 'PGlite is single-process' },
  async (t) => {
    const clsmId = await bareClsm(tdb.dbs.db);
    await writers(tdb.urls!.app, [clsmId], 250);
    t.same(
      await seqs(clsmId),
      Array.from({ length: 1000 }, (_, i) => i + 1),
      'seq 1..1000, contiguous, no fork',
    );
    t.match(await verifyClsm(tdb.dbs.db, clsmId), { ok: true, events: 1000 });
  },
);

t.test(
  'the same with two CLSMs in parallel',
  { skip: tdb.urls === undefined && 'PGlite is single-process' },
  async (t) => {
    const a = await bareClsm(tdb.dbs.db, 'A');
    const b = await bareClsm(tdb.dbs.db, 'B');
    await writers(tdb.urls!.app, [a, b], 250);
    for (const clsmId of [a, b]) {
      t.same(
        await seqs(clsmId),
        Array.from({ length: 1000 }, (_, i) => i + 1),
      );
      t.ok((await verifyClsm(tdb.dbs.db, clsmId)).ok);
    }
  },
);
