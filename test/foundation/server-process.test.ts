import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// What `npm start` does, as a real process: both servers up on an empty embedded database, the
// first coordinator's enrollment code in a file only its owner reads (never on a piped stdout, never in
// the log), a clean stop on SIGTERM.

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
  });

t.test('npm start: two servers, a one-time code in a private file, graceful stop', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clsm-start-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const [port, statsPort] = [await freePort(), await freePort()];
  const child = spawn(NODE, nodeArgs(['bin/server.js']), {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      STATS_PORT: String(statsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

  let up = false;
  for (let i = 0; i < 480 && !up; i++) {
    await new Promise((r) => setTimeout(r, 250));
    up = await fetch(`http://127.0.0.1:${statsPort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  }
  t.ok(up, 'the statistics server answers');
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200, 'the API is ready');
  const codeFile = path.join(dataDir, 'first-coordinator-code.txt');
  const code = /^\s{4}([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})$/m.exec(await readFile(codeFile, 'utf8'))?.[1];
  t.ok(code, 'a one-time enrollment code is in DATA_DIR');
  t.equal(((await stat(codeFile)).mode & 0o777).toString(8), '600', 'readable by its owner only');
  t.ok(
    out.split('\n').some((l) => l.startsWith('{')),
    'JSON logs are written',
  );
  t.notOk(code !== undefined && out.includes(code), 'the code is neither in the logs nor on a piped stdout');
  t.match(out, codeFile, 'the output says where the code is');
  t.equal(
    ((await stat(path.join(dataDir, 'secrets', 'token-signing.pem'))).mode & 0o777).toString(8),
    '600',
    'generated keys are private',
  );

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exits 0 on SIGTERM');
  t.match(out, /shutting down/);
});
