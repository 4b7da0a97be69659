import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from '../../migrations/index.js';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The one migration runner: used at start-up and by `npm run migrate`. Run it as the schema owner. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
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
  const exists = await sql<{
    present: boolean;
  }>`select to_regclass('public.kysely_migration') is not null as present`.execute(db);
  if (exists.rows[0]?.present !== true) return Object.keys(migrations);
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const done = new Set(applied.rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !done.has(name));
}
