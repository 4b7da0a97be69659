import { sql } from 'kysely';
import type { TestDatabase } from './database.js';
import { asOwner } from './owner.js';

/**
 * The tables (schemas public and stats) where any row holds `text`, as UTF-8, UTF-16, base64 or hex,
 * read as the database owner: what an administrator or a thief of the database could see.
 */
export async function tablesHolding(db: TestDatabase, text: string): Promise<string[]> {
  const needles = [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(Buffer.from(text).toString('base64')),
    Buffer.from(Buffer.from(text).toString('hex')),
  ];
  return asOwner(db, async (o) => {
    const tables = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_schema in ('public', 'stats') and table_type = 'BASE TABLE'`.execute(o);
    const hits: string[] = [];
    for (const { schema, name } of tables.rows) {
      const rows = await sql<{
        row: string;
      }>`select x::text as row from ${sql.table(`${schema}.${name}`)} x`.execute(o);
      if (rows.rows.some(({ row }) => needles.some((n) => row.includes(n.toString('utf8')))))
        hits.push(`${schema}.${name}`);
    }
    return hits;
  });
}
