import { kyselyOver } from '../../src/db/database.js';
import pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { auditedWrite } from './audit.js';

// A separate OS process writing audited rows concurrently: argv = URL, comma-separated CLSMs, count.
const [url, clsmIds, count] = process.argv.slice(2);
if (url === undefined || clsmIds === undefined || count === undefined)
  throw new Error('usage: audit-writer URL CLSM_IDS COUNT');
// 500 writes queue on 16 connections behind one advisory lock per CLSM: on a loaded machine the
// wait for a connection can exceed the service's 5 s fail-fast, which is not what this test measures.
const db = kyselyOver<Database>(new pg.Pool({ connectionString: url, max: 16, connectionTimeoutMillis: 0 }));
await Promise.all(
  clsmIds
    .split(',')
    .flatMap((clsmId) => Array.from({ length: Number(count) }, (_, i) => auditedWrite(db, clsmId, i))),
);
await db.destroy();
