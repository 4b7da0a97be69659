import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { kyselyOver, openEmbedded } from '../db/database.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { pendingMigrations } from '../db/migrate.js';
import { openPglite, postgresPool } from '../db/pools.js';
import type { Database } from '../db/schema.js';
import { loadEd25519Key } from '../config/secrets.js';
import { rawPublicKey } from '../util/server-ed25519.js';
import { CliError, EXIT } from './output.js';

// Commands run next to the database, without a server: DATABASE_URL (PostgreSQL), else DATA_DIR
// (the embedded database, which must not be open in a running server at the same time).

export interface LocalDatabase {
  db: Kysely<Database>;
  /** The audit key's public half, if its key file is reachable from here. */
  auditPublicKey: Buffer | undefined;
  close(): Promise<void>;
}

const set = (value: string | undefined): value is string => value !== undefined && value !== '';

export async function openLocalDatabase(env: NodeJS.ProcessEnv = process.env): Promise<LocalDatabase> {
  const url = env.DATABASE_URL;
  const dataDir = set(env.DATA_DIR) ? path.resolve(env.DATA_DIR) : undefined;
  const keyFile = set(env.AUDIT_SIGNING_KEY_FILE)
    ? env.AUDIT_SIGNING_KEY_FILE
    : dataDir === undefined
      ? undefined
      : path.join(dataDir, 'secrets', 'audit-signing.pem');
  const auditPublicKey =
    keyFile !== undefined && existsSync(keyFile)
      ? rawPublicKey(await loadEd25519Key(keyFile, false))
      : undefined;
  if (set(url)) {
    const db = kyselyOver<Database>(postgresPool(url, 2));
    try {
      const pending = await pendingMigrations(db as Kysely<unknown>);
      if (pending.length > 0)
        throw new CliError(
          `the database schema is behind (${pending.join(', ')})`,
          EXIT.FAILED,
          'SCHEMA_BEHIND',
          'run `npm run migrate`',
        );
    } catch (err) {
      await db.destroy();
      if (err instanceof CliError) throw err;
      throw new CliError(
        `cannot reach the database: ${(err as Error).message}`,
        EXIT.UNREACHABLE,
        'UNREACHABLE',
        'check DATABASE_URL',
      );
    }
    return { db, auditPublicKey, close: () => db.destroy() };
  }
  if (dataDir === undefined)
    throw new CliError(
      "no database to work on: set DATA_DIR to the server's data directory, or DATABASE_URL to its PostgreSQL database",
      EXIT.USAGE,
      'NO_DATABASE',
    );
  // Only the server creates a data directory: a mistyped DATA_DIR must not yield an empty, "intact" one.
  if (!existsSync(path.join(dataDir, 'pglite')))
    throw new CliError(
      `DATA_DIR ${dataDir} holds no database: point DATA_DIR at the server's data directory (or set DATABASE_URL)`,
      EXIT.USAGE,
      'NO_DATABASE',
    );
  const unlock = await lockDataDir(dataDir).catch((err: unknown) => {
    throw new CliError(
      (err as Error).message,
      EXIT.UNREACHABLE,
      'DATA_DIR_IN_USE',
      'stop the server, or use the API',
    );
  });
  try {
    const dbs = await openEmbedded(await openPglite(path.join(dataDir, 'pglite')), { onClose: unlock });
    return { db: dbs.db, auditPublicKey, close: () => dbs.close() };
  } catch (err) {
    await unlock();
    throw err;
  }
}
