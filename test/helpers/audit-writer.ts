import { kyselyOver } from '../../src/db/database.js';
import pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { auditedWrite } from './audit.js';

// A separate OS process writing audited rows concurrently: argv = URL, comma-separated tenants, count.
const [url, tenants, count] = process.argv.slice(2);
if (url === undefined || tenants === undefined || count === undefined)
  throw new Error('usage: audit-writer URL TENANTS COUNT');
// 500 writes queue on 16 connections behind one advisory lock per tenant: on a loaded machine the
// wait for a connection can exceed the service's 5 s fail-fast, which is not what this test measures.
const db = kyselyOver<Database>(new pg.Pool({ connectionString: url, max: 16, connectionTimeoutMillis: 0 }));
await Promise.all(
  tenants
    .split(',')
    .flatMap((tenant) => Array.from({ length: Number(count) }, (_, i) => auditedWrite(db, tenant, i))),
);
await db.destroy();
