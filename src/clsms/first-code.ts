import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NewClsm } from './clsms.js';

// The first coordinator's enrollment code is a credential. Logs are shipped and kept: the code goes
// to a file only its owner can read, and to the terminal only when a person is watching one.

export function firstCodeText(created: NewClsm, apiUrl: string): string {
  return [
    `A new CLSM "${created.name}" was created (${created.clsmId}).`,
    `One-time enrollment code for its first coordinator (valid until ${created.codeExpiresAt.toISOString()}):`,
    '',
    `    ${created.coordinatorCode}`,
    '',
    `Enroll in the web app at ${apiUrl}/ with this code, or with the command line:`,
    `    npx clsm enroll --server ${apiUrl} --code ${created.coordinatorCode}`,
    '',
  ].join('\n');
}

/** Writes the code's file with mode 0600 (also when a file of that name was already there). */
export async function writeFirstCodeFile(file: string, created: NewClsm, apiUrl: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, firstCodeText(created, apiUrl), { mode: 0o600 });
  await chmod(file, 0o600);
}
