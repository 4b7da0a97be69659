import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { LOG_DIR, PG_TEMPLATE_DB, SECRETS_DIR, TEST_ROOT } from '../helpers/paths.js';

// The suite's last step: no token, secret key, enrollment code or plaintext marker that any test
// used may appear anywhere in the server logs the tests produced.

const read = async (dir: string) => {
  const files = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
};

const secrets = new Set((await read(SECRETS_DIR)).flatMap((t) => t.split('\n')).filter((s) => s.length >= 8));
const logs = await read(LOG_DIR);
const lines = logs.flatMap((l) => l.split('\n'));
let leaks = 0;
for (const secret of secrets) {
  if (lines.some((line) => line.includes(secret))) {
    leaks += 1;
    process.stderr.write(
      `log leak: a value registered as secret (${secret.slice(0, 4)}…) appears in the server logs\n`,
    );
  }
}
process.stdout.write(
  `log scan: ${lines.length} log lines checked against ${secrets.size} secret values: ${leaks} leak(s)\n`,
);
if (lines.length === 0 && secrets.size > 0) {
  process.stderr.write('log scan: no log lines were captured, the scan proves nothing\n');
  process.exitCode = 1;
}
if (leaks > 0) process.exitCode = 1;

await rm(TEST_ROOT, { recursive: true, force: true });
const adminUrl = process.env.DATABASE_URL;
if (adminUrl !== undefined && adminUrl !== '') {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB}`);
  await admin.end();
}
