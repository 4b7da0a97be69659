import { PolicyError } from './access/policy-engine.js';
import { isDatabaseUnavailable } from './db/errors.js';
import { MigrationError } from './db/migrate.js';
import { ConfigError } from './config/env.js';

// A process that cannot start because of how it was set up says so in one line, naming the
// variable and the fix; a stack trace is for bugs, not for a missing setting.

/** The one line to print when `err` is a setup problem, or undefined when it is a bug. */
export function startupFailure(err: unknown): string | undefined {
  if (err instanceof ConfigError || err instanceof PolicyError || err instanceof MigrationError) {
    return err.message.replace(/\s*\n\s*/g, '; ');
  }
  if (isDatabaseUnavailable(err)) {
    return 'cannot reach PostgreSQL at DATABASE_URL (or STATS_DATABASE_URL): check that it runs and that the host and port are right';
  }
  const code = (err as { code?: unknown } | null)?.code;
  // 28xxx: invalid authorisation (role or password), 3D000: no such database.
  if (typeof code === 'string' && (code.startsWith('28') || code === '3D000')) {
    return `PostgreSQL refused the connection (${(err as Error).message}): check the role, password and database in DATABASE_URL and STATS_DATABASE_URL`;
  }
  return undefined;
}
