import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeNewEd25519Key } from '../../src/config/secrets.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// A first-time user who sets DATABASE_URL alone, as a README might suggest, gets one line naming
// what is missing and how to provide it, from the server, the demo and the CLI: never a stack.

t.setTimeout(900_000);
const dir = await mkdtemp(path.join(os.tmpdir(), 'clsm-startup-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

// Nothing listens on port 1: the address is well formed and unreachable.
const NOWHERE = 'postgres://clsm_app@127.0.0.1:1/clsm';
const UNSET = {
  DATABASE_URL: '',
  STATS_DATABASE_URL: '',
  MIGRATE_DATABASE_URL: '',
  TOKEN_SIGNING_KEY_FILE: '',
  AUDIT_SIGNING_KEY_FILE: '',
  DATA_DIR: path.join(dir, 'data'),
};

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      nodeArgs(args),
      { cwd: PROJECT_ROOT, env: { ...process.env, ...UNSET, ...env } },
      (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stderr });
      },
    );
  });
}

const demo = ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'demo', 'run.ts')];
const server = ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'server.ts')];
const clsm = [path.join(PROJECT_ROOT, 'bin', 'clsm.js')];

function oneLine(t: Test, stderr: string, pattern: RegExp): void {
  t.equal(stderr.trimEnd().split('\n').length, 1, `one line: ${stderr}`);
  t.notMatch(stderr, /^\s+at /m, 'no stack trace');
  t.match(stderr, pattern);
}

t.test('the demo with DATABASE_URL alone names STATS_DATABASE_URL', async (t) => {
  const answer = await run(demo, { DATABASE_URL: NOWHERE });
  t.equal(answer.code, 1);
  oneLine(t, answer.stderr, /^demo: cannot start: STATS_DATABASE_URL is required when DATABASE_URL is set/);
});

t.test('the server without its key files names the variable and the command that makes one', async (t) => {
  const answer = await run(server, { DATABASE_URL: NOWHERE, STATS_DATABASE_URL: NOWHERE });
  t.equal(answer.code, 1);
  oneLine(t, answer.stderr, /TOKEN_SIGNING_KEY_FILE is required .*clsm admin keygen FILE/);
  const missing = await run(demo, {
    DATABASE_URL: NOWHERE,
    STATS_DATABASE_URL: NOWHERE,
    TOKEN_SIGNING_KEY_FILE: path.join(dir, 'absent.pem'),
    AUDIT_SIGNING_KEY_FILE: path.join(dir, 'absent.pem'),
  });
  oneLine(t, missing.stderr, /key file not found: .*absent\.pem \(create it with: npx clsm admin keygen /);
});

t.test('an unreachable PostgreSQL is one line, from the server, the demo and the CLI', async (t) => {
  const tokenKey = path.join(dir, 'token.pem');
  const auditKey = path.join(dir, 'audit.pem');
  await writeNewEd25519Key(tokenKey);
  await writeNewEd25519Key(auditKey);
  const env = {
    DATABASE_URL: NOWHERE,
    STATS_DATABASE_URL: NOWHERE,
    TOKEN_SIGNING_KEY_FILE: tokenKey,
    AUDIT_SIGNING_KEY_FILE: auditKey,
  };
  for (const [name, args] of [
    ['server', server],
    ['demo', demo],
  ] as const) {
    const answer = await run(args, env);
    t.equal(answer.code, 1, name);
    oneLine(t, answer.stderr, /cannot start: cannot reach PostgreSQL at DATABASE_URL/);
  }
  const verify = await run([...clsm, 'audit', 'verify'], env);
  t.equal(verify.code, 3, 'the CLI: unreachable');
  t.notMatch(verify.stderr, /^\s+at /m, 'no stack trace');
  t.match(verify.stderr, /^clsm: UNREACHABLE: cannot reach the database: .*\nnext: check DATABASE_URL/);
});
