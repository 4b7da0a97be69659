import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import tap from 'tap';

// Each test file's last step (registered in paths.ts): no token, secret key, enrollment code or
// plaintext marker that the file used may appear anywhere in the server logs it produced.

const secrets = new Set<string>();
/** Candidates by their first PREFIX characters: a line is looked up once per position, not per secret. */
const byPrefix = new Map<string, string[]>();
const PREFIX = 8;

/** Remembers a value that must never appear in any log: the file's last step looks for it. */
export function mustNotLeak(...values: string[]): void {
  for (const value of values) {
    if (value.length < PREFIX || secrets.has(value)) continue;
    secrets.add(value);
    const head = value.slice(0, PREFIX);
    byPrefix.set(head, [...(byPrefix.get(head) ?? []), value]);
  }
}

function leaksIn(line: string, found: Set<string>): void {
  for (let i = 0; i + PREFIX <= line.length; i += 1) {
    const candidates = byPrefix.get(line.slice(i, i + PREFIX));
    if (candidates === undefined) continue;
    for (const secret of candidates) if (line.startsWith(secret, i)) found.add(secret);
  }
}

/** Fails the file (exit code 1) when a registered secret is in a log of `dir`. */
export async function scanLogs(dir: string): Promise<void> {
  const files = await readdir(dir).catch(() => [] as string[]);
  let lines = 0;
  const leaked = new Set<string>();
  for (const file of files) {
    const input = createReadStream(path.join(dir, file));
    // Lines are read one by one: a file's logs can be larger than a string can hold.
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lines += 1;
      if (secrets.size > 0) leaksIn(line, leaked);
    }
  }
  for (const secret of leaked) {
    process.stderr.write(`log leak: a value registered as secret (${secret.slice(0, 4)}…) is in the logs\n`);
  }
  if (lines === 0 && secrets.size > 0) {
    process.stderr.write('log scan: no log lines were captured, the scan proves nothing\n');
    process.exitCode = 1;
  }
  if (leaked.size > 0) process.exitCode = 1;
  if (secrets.size > 0)
    tap.comment(`log scan: ${lines} lines, ${secrets.size} secrets, ${leaked.size} leak(s)`);
}
