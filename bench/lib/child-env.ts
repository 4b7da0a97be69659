// The environment of a child process: this one's, minus the database settings of the benchmark's
// administrator, so that a child only ever sees the database it is given explicitly.

const DATABASE_VARIABLES = new Set([
  'DATABASE_URL',
  'STATS_DATABASE_URL',
  'MIGRATE_DATABASE_URL',
  'DATA_DIR',
]);

export function childEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !DATABASE_VARIABLES.has(entry[0]),
  );
  return { ...Object.fromEntries(inherited), ...extra };
}
