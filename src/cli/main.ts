import { AuditRollbackError } from '../client/audit-memory.js';
import { ApiError, UnreachableError } from '../client/http.js';
import { BadKeysError, UncertifiedMemberError } from '../client/trust-errors.js';
import { DirectoryError } from '../crypto/directory-replay.js';
import { CaseLogError } from '../crypto/case-log-state.js';
import { CertificationMismatchError } from '../client/directory-writer.js';
import { EntryIntegrityError } from '../crypto/entries.js';
import { GrantIntegrityError } from '../crypto/grants.js';
import { StatsIntegrityError } from '../client/stats.js';
import { startupFailure } from '../startup-failure.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { commands, globalOptionsHelp, helpText, usageText } from './commands/index.js';
import { commandHelp } from './help.js';
import { NobodyEntitledError } from '../client/key-refusals.js';
import {
  GrantsRefusedError,
  HandoverDeclinedError,
  NotEntitledError,
  UntrustedGrantError,
} from '../client/key-refusals.js';
import { CliError, createOutput, EXIT } from './output.js';

// `clsm COMMAND [SUBCOMMAND] [OPTIONS]`. Every failure ends with its stable code and what to do next.

const NEXT_STEP: Record<string, string> = {
  CHARTER_NOT_ACCEPTED: 'read and accept the charter: clsm charter show, then clsm charter accept',
  CONSENT_REQUIRED:
    "the person's consent does not cover this: record it (clsm consent record) or ask for a legal exception",
  ROTATION_REQUIRED: 'the compartment key must be rotated first: clsm case rotate CASE --compartment NAME',
  TOKEN_INVALID: 'log in again: clsm login',
  UNAUTHENTICATED: 'log in: clsm login',
  NOT_FOUND: 'check the identifier; you only see the cases you take part in',
  FORBIDDEN: 'the policies do not allow this (see policies/README.md)',
  CASE_PURGED: 'this case reached the end of its retention period and was destroyed',
  RATE_LIMITED: 'wait a minute and retry',
  SERVICE_UNAVAILABLE: 'the server cannot reach its database; retry shortly',
  VALIDATION_FAILED: 'see the accepted values: clsm COMMAND --help',
  RELEASE_EXISTS: 'a released year is frozen: read it with clsm stats show YEAR',
  YEAR_NOT_OVER: 'a bilan covers a whole calendar year: release it from the 1st of January after it',
};

// Global options may come before the command (`clsm --profile DIR case list`): they are moved
// after it, where every command's option parser accepts them.
const GLOBAL_FLAGS = new Set(['--json']);
const GLOBAL_WITH_VALUE = new Set(['--server', '--profile', '--passphrase-file', '--stats-server']);

function hoistGlobalOptions(argv: string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const flag = arg.split('=')[0] ?? '';
    if (GLOBAL_FLAGS.has(arg) || (GLOBAL_WITH_VALUE.has(flag) && arg.includes('='))) globals.push(arg);
    else if (GLOBAL_WITH_VALUE.has(flag) && i + 1 < argv.length) {
      globals.push(arg, argv[i + 1] ?? '');
      i += 1;
    } else break;
  }
  return [...argv.slice(i), ...globals];
}

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

async function main(rawArgv: string[]): Promise<number> {
  const argv = hoistGlobalOptions(rawArgv);
  const json = argv.includes('--json');
  const out = createOutput(json);
  const [name, sub, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && sub === undefined)) {
    process.stdout.write(helpText);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const topic = name === 'help' ? sub : name;
  const command = topic === undefined ? undefined : commands[topic];
  if (topic !== undefined && command !== undefined && (name === 'help' || wantsHelp(argv.slice(1)))) {
    const subcommand = name === 'help' ? rest[0] : sub;
    process.stdout.write(
      commandHelp(usageText, globalOptionsHelp, topic, subcommand?.startsWith('-') ? undefined : subcommand),
    );
    return EXIT.OK;
  }
  const handler = typeof command === 'function' ? command : sub === undefined ? undefined : command?.[sub];
  if (handler === undefined) {
    process.stderr.write(`clsm: unknown command "${[name, sub].filter(Boolean).join(' ')}"\n\n${helpText}`);
    return EXIT.USAGE;
  }
  try {
    return await handler(
      typeof command === 'function' ? [sub, ...rest].filter((a): a is string => a !== undefined) : rest,
      out,
    );
  } catch (err) {
    return report(err, json);
  }
}

function report(err: unknown, json: boolean): number {
  let code = 'ERROR';
  let message = err instanceof Error ? err.message : `unexpected failure (${typeof err})`;
  let hint: string | undefined;
  let details: string[] = [];
  let exit: number = EXIT.FAILED;
  if (err instanceof CliError) {
    code = err.code ?? code;
    hint = err.hint;
    exit = err.exitCode;
  } else if (err instanceof ApiError) {
    code = err.code;
    message = err.detail;
    hint = NEXT_STEP[err.code];
    details = err.errors.map((e) => `  ${e.field} ${e.message}`);
    exit = err.status === 401 ? EXIT.AUTH : err.status === 503 ? EXIT.UNREACHABLE : EXIT.FAILED;
  } else if (err instanceof UnreachableError) {
    code = 'UNREACHABLE';
    hint =
      'check --server / CLSM_SERVER (for clsm stats show: --stats-server / CLSM_STATS_SERVER) and that the server runs';
    exit = EXIT.UNREACHABLE;
  } else if (err instanceof NobodyEntitledError) {
    code = 'NOBODY_ENTITLED';
    hint = `add a participant whose role may hold it (clsm participant add CASE MEMBER --compartments ${err.compartment}); if their role needs the person's consent, record it first (clsm consent record)`;
  } else if (err instanceof NotEntitledError || err instanceof GrantsRefusedError) {
    code = 'NOT_ENTITLED';
    hint =
      'the server asked for keys to go to members the policies do not entitle to them: nothing was sealed to them; tell your DPO';
  } else if (err instanceof HandoverDeclinedError) {
    code = 'HANDOVER_DECLINED';
    hint = `if they should not hold it, ask the coordinator to remove them or narrow their access (clsm revoke CASE --member ${err.memberId} --compartment ${err.compartment})`;
  } else if (err instanceof UntrustedGrantError) {
    code = 'UNTRUSTED_GRANT';
    hint = 'a key was granted by a member who may not hold it: it is not used; tell your DPO';
  } else if (err instanceof AuditRollbackError) {
    code = 'AUDIT_ROLLBACK';
    hint = 'do not trust this server until your DPO has run clsm audit verify with the witness file';
  } else if (err instanceof UncertifiedMemberError) {
    code = 'NOT_CERTIFIED';
    hint =
      err.reason === 'suspended'
        ? 'a coordinator reinstates them (clsm member reinstate) if that is right'
        : `a coordinator compares codes with them, then: clsm member certify ${err.memberId} --sas CODE`;
  } else if (err instanceof CertificationMismatchError) {
    code = 'CODE_MISMATCH';
    hint = 'do not certify these keys: check the code with the member again, and tell your DPO';
  } else if (err instanceof DirectoryError) {
    code = 'DIRECTORY_REFUSED';
    hint = 'the server served a directory log this device cannot trust: tell your DPO';
  } else if (err instanceof CaseLogError) {
    code = 'CASE_LOG_REFUSED';
    hint =
      'the server served a membership log this device cannot trust: no key of this situation is sealed or accepted from it; tell your DPO';
  } else if (
    err instanceof BadKeysError ||
    err instanceof EntryIntegrityError ||
    err instanceof GrantIntegrityError ||
    err instanceof StatsIntegrityError
  ) {
    code = 'INTEGRITY';
    hint = 'the data was altered or forged: do not trust it, and tell your DPO';
  } else if (startupFailure(err) !== undefined) {
    // Commands run next to the database: a setting or the database itself, in one line.
    const unreachable = isDatabaseUnavailable(err);
    code = unreachable ? 'UNREACHABLE' : 'CONFIG';
    message = startupFailure(err) ?? message;
    exit = unreachable ? EXIT.UNREACHABLE : EXIT.USAGE;
  }
  if (json) {
    const fields =
      err instanceof ApiError && err.errors.length > 0
        ? { errors: err.errors }
        : err instanceof CaseLogError
          ? { seq: err.seq, reason: err.reason }
          : {};
    process.stdout.write(
      `${JSON.stringify({ ok: false, code, message, ...fields, ...(hint === undefined ? {} : { hint }) })}\n`,
    );
  }
  const lines = details.length > 1 ? `${details.join('\n')}\n` : '';
  process.stderr.write(`clsm: ${code}: ${message}\n${lines}${hint === undefined ? '' : `next: ${hint}\n`}`);
  return exit;
}

process.exitCode = await main(process.argv.slice(2));
