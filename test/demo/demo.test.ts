import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeNewEd25519Key } from '../../src/config/secrets.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { openTestDatabase } from '../helpers/database.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// `npm run demo` is part of the suite: the whole story must run to "demo: ok", on a fresh embedded
// database, or on PostgreSQL when the suite runs there.

t.test('the demo runs from end to end', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', DATA_DIR: '' };
  if (process.env.DATABASE_URL) {
    const tdb = await openTestDatabase();
    const keys = await mkdtemp(path.join(os.tmpdir(), 'clsm-demo-keys-'));
    t.teardown(async () => {
      await tdb.close();
      await rm(keys, { recursive: true, force: true });
    });
    await tdb.dbs.close();
    env.DATABASE_URL = tdb.urls?.app;
    env.STATS_DATABASE_URL = tdb.urls?.stats;
    env.TOKEN_SIGNING_KEY_FILE = path.join(keys, 'token.pem');
    env.AUDIT_SIGNING_KEY_FILE = path.join(keys, 'audit.pem');
    await writeNewEd25519Key(env.TOKEN_SIGNING_KEY_FILE);
    await writeNewEd25519Key(env.AUDIT_SIGNING_KEY_FILE);
  }
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        NODE,
        nodeArgs(['--import', 'tsx', 'src/demo/run.ts']),
        { cwd: PROJECT_ROOT, env, maxBuffer: 10_000_000 },
        (error, out, err) => {
          resolve({ code: error === null ? 0 : 1, stdout: out, stderr: err });
        },
      );
    },
  );
  t.equal(code, 0, stderr);
  t.match(stdout, /\ndemo: ok\n$/);
  for (const moment of [
    'refused (CONSENT_REQUIRED)',
    'refused (MINUTES_FROZEN)',
    'key version 2',
    'intact',
    'n.d.',
  ]) {
    t.match(stdout, moment, `the story shows: ${moment}`);
  }
});
