import { parseArgs } from 'node:util';
import { CliError, EXIT } from './output.js';

export interface OptionSpec {
  [name: string]: { type: 'string' | 'boolean'; short?: string };
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
}

/** Strict option parsing: an unknown option or a missing value is a usage error, never a guess. */
export function parse(argv: string[], options: OptionSpec = {}): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      // Global options, accepted by every command.
      options: {
        ...options,
        json: { type: 'boolean' },
        server: { type: 'string' },
        profile: { type: 'string' },
        'passphrase-file': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals, json: values.json === true };
  } catch (err) {
    throw new CliError(
      (err as Error).message,
      EXIT.USAGE,
      'USAGE',
      'run `clsm help` for the commands and their options',
    );
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function need(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined) throw new CliError(`--${name} is required`, EXIT.USAGE, 'USAGE');
  return v;
}

export function positional(p: Parsed, index: number, what: string): string {
  const v = p.positionals[index];
  if (v === undefined || v === '') throw new CliError(`missing ${what}`, EXIT.USAGE, 'USAGE');
  return v;
}
