import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from '../../migrations/index.js';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * The one migration runner: used at start-up and by `npm run migrate`. Run it as the schema owner.
 * A database that has applied exactly the known migrations is left alone without asking Kysely's
 * migrator, which introspects every table twice (most of the start-up's queries on an existing
 * directory); anything else (pending, unknown or missing migrations) goes through the migrator.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const applied = await appliedMigrations(db);
  const known = Object.keys(migrations);
  if (applied !== undefined && applied.size === known.length && known.every((n) => applied.has(n))) return [];
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Names of migrations not yet applied, read with the application's (non-owner) role. */
export async function pendingMigrations(db: Kysely<unknown>): Promise<string[]> {
  const done = (await appliedMigrations(db)) ?? new Set<string>();
  return Object.keys(migrations).filter((name) => !done.has(name));
}

/** Names of the migrations a database has applied; undefined before the first migration. */
async function appliedMigrations(db: Kysely<unknown>): Promise<Set<string> | undefined> {
  const exists = await sql<{
    present: boolean;
  }>`select to_regclass('public.kysely_migration') is not null as present`.execute(db);
  if (exists.rows[0]?.present !== true) return undefined;
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(applied.rows.map((r) => r.name));
}
