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

export async function openLocalDatabase(env: NodeJS.ProcessEnv = process.env): Promise<LocalDatabase> {
  const keyFile =
    env.AUDIT_SIGNING_KEY_FILE ??
    path.join(path.resolve(env.DATA_DIR ?? './data'), 'secrets', 'audit-signing.pem');
  const auditPublicKey = existsSync(keyFile) ? rawPublicKey(await loadEd25519Key(keyFile, false)) : undefined;
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
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
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
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
