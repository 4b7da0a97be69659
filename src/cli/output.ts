// How the CLI speaks: human sentences by default, one JSON document with --json; errors name their
// stable code and what to do next; exit codes are documented in docs/cli.md.

export const EXIT = {
  OK: 0,
  /** The command ran and its answer is "no": a verification failed, the server refused. */
  FAILED: 1,
  USAGE: 2,
  /** The server or the database could not be reached. */
  UNREACHABLE: 3,
  /** Log in (again), or the profile passphrase is wrong. */
  AUTH: 4,
} as const;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
    readonly code?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface Output {
  json: boolean;
  /** A line for humans (suppressed with --json). */
  say(line: string): void;
  /** The command's result: printed as JSON with --json, else rendered by `human`. */
  result(value: unknown, human?: () => void): void;
  /** Progress of a long operation, on stderr, never in the JSON output. */
  progress(line: string): void;
}

export function createOutput(
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    say: (line) => {
      if (!json) out.write(`${line}\n`);
    },
    result: (value, human) => {
      if (json) out.write(`${JSON.stringify(value, null, 2)}\n`);
      else human?.();
    },
    progress: (line) => {
      if ('isTTY' in err && err.isTTY) err.write(`\r${line}`);
      else err.write(`${line}\n`);
    },
  };
}
