import '../util/v8-flags.js';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { NamedStatementClient } from './named-statements.js';
import { INITDB_TEMPLATE, startFromTemplate } from './initdb-template.js';

// Both engines are reached through node-postgres, so Kysely's PostgresDialect and every query
// take the same code path on PostgreSQL and on the embedded PGlite (docs/adr/0002).

/** bigint (int8) columns are counters and sequence numbers: JavaScript numbers, checked for safety. */
const INT8_OID = 20;
const DATE_OID = 1082;
const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('int8 value out of the safe integer range');
  return n;
};
/** Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the server's time zone. */
const keepDate = (value: string): string => value;
const builtinParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format?: 'text' | 'binary',
) => (value: string) => unknown;
/** How every connection of the service reads PostgreSQL's values. */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? parseInt8
      : oid === DATE_OID
        ? keepDate
        : builtinParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function postgresPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: PG_TYPES,
    Client: NamedStatementClient,
    // Fail fast when the server is down, so the API answers 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'clsm',
  });
  // A client losing its server (restart, crash, failover) must not crash the process. The pool
  // listens on idle clients only; a client checked out by a transaction between two statements
  // emits 'error' on itself. Its pending and next queries fail, the request answers 503, and the
  // pool discards the client when it is released with the error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * PGlite's PostgreSQL starts with a 32 MB buffer pool rather than the 128 MB written by its initdb:
 * setting up 128 MB inside the WebAssembly memory cost about 0.4 s of CPU at every start
 * (docs/performance.md, item 7). Pages outside the pool are read through the operating system's
 * file cache; the embedded database is for evaluation and small sites.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Opens the embedded database in `dataDir`; a new one starts from the installation's initdb. */
export async function openPglite(dataDir: string, template = INITDB_TEMPLATE): Promise<PGlite> {
  await startFromTemplate(dataDir, template);
  return PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
}

/**
 * A pool over an embedded PGlite. PGlite has ONE session: the pool must never hand out two
 * clients at once, or transactions would interleave on that session. `max: 1` serialises them;
 * a caller holding the client (a transaction) makes others wait.
 */
export function pglitePool(pglite: PGlite): pg.Pool {
  // The adapter's config carries the connection object every client must share.
  const adapter = createPgConfig(pglite);
  const pool = new pg.Pool({
    connection: adapter.connection,
    user: adapter.user,
    password: adapter.password,
    database: adapter.database,
    host: adapter.host,
    port: adapter.port,
    max: 1,
    types: PG_TYPES,
    Client: NamedStatementClient,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 60_000,
  } as pg.PoolConfig);
  pool.on('error', () => undefined);
  return pool;
}
