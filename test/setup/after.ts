import { createReadStream } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import pg from 'pg';
import { LOG_DIR, PG_TEMPLATE_DB, SECRETS_DIR, TEST_ROOT } from '../helpers/paths.js';

// The suite's last step: no token, secret key, enrollment code or plaintext marker that any test
// used may appear anywhere in the server logs the tests produced.

const files = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).map((f) => path.join(dir, f));

const secretLines = await Promise.all((await files(SECRETS_DIR)).map((f) => readFile(f, 'utf8')));
const secrets = new Set(secretLines.flatMap((t) => t.split('\n')).filter((s) => s.length >= 8));
// Logs are read line by line: a run writes more than a string can hold.
let lines = 0;
const leaked = new Set<string>();
for (const file of await files(LOG_DIR)) {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lines += 1;
    for (const secret of secrets) if (line.includes(secret)) leaked.add(secret);
  }
}
for (const secret of leaked) {
  process.stderr.write(
    `log leak: a value registered as secret (${secret.slice(0, 4)}…) appears in the server logs\n`,
  );
}
const leaks = leaked.size;
process.stdout.write(
  `log scan: ${lines} log lines checked against ${secrets.size} secret values: ${leaks} leak(s)\n`,
);
if (lines === 0 && secrets.size > 0) {
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
