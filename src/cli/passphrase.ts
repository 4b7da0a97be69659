import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from './output.js';

/** From --passphrase-file, else CLSM_PASSPHRASE, else a prompt on the terminal (never echoed). */
export async function readPassphrase(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  confirm = false,
): Promise<string> {
  if (file !== undefined) return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  if (env.CLSM_PASSPHRASE !== undefined && env.CLSM_PASSPHRASE !== '') return env.CLSM_PASSPHRASE;
  if (!process.stdin.isTTY) {
    throw new CliError(
      'a passphrase is needed',
      EXIT.USAGE,
      'PASSPHRASE',
      'set CLSM_PASSPHRASE or pass --passphrase-file FILE',
    );
  }
  const first = await prompt('Passphrase: ');
  if (confirm && (await prompt('Again: ')) !== first)
    throw new CliError('the two passphrases differ', EXIT.USAGE, 'PASSPHRASE');
  if (confirm && first.length < 12)
    throw new CliError('choose a passphrase of at least 12 characters', EXIT.USAGE, 'PASSPHRASE');
  return first;
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}
