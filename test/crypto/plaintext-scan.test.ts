import t from 'tap';
import { sql } from 'kysely';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { addMember, listen, newClsm, sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';

// What the SDK encrypts never reaches the server in clear: a marker written into every compartment
// is searched for in every table of the database, as text and as bytes (the suite's last step
// searches the server logs for it too).

const MARKER = 'CLSM-PLAINTEXT-MARKER-7f3a Jeanne Exemple, 12 rue des Lilas';
mustNotLeak(MARKER);

t.test('the marker is nowhere in the database', async (t) => {
  const ta = await startTestApp(t);
  const { coordinator } = await newClsm(ta);
  const nurse = await addMember(ta, coordinator, 'health_professional');
  const url = await listen(ta.app);
  const sdk = sdkFor(url, nurse);
  const { id } = await sdk.cases.refer('danger_pour_soi', 'urgent');
  for (const compartment of ['identity', 'synthesis', 'social', 'health', 'committee'] as const) {
    await sdk.cases.write(id, compartment, new TextEncoder().encode(`${MARKER} (${compartment})`));
  }
  t.equal((await sdk.cases.read(id, 'identity')).length, 1, 'the marker went in and reads back');

  const needles = [
    Buffer.from(MARKER, 'utf8'),
    Buffer.from(MARKER, 'utf16le'),
    Buffer.from(Buffer.from(MARKER).toString('base64')),
    Buffer.from(Buffer.from(MARKER).toString('hex')),
  ];
  const found = await asOwner(ta.db, async (o) => {
    const tables = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_schema in ('public', 'stats') and table_type = 'BASE TABLE'`.execute(o);
    const hits: string[] = [];
    let rows = 0;
    for (const { schema, name } of tables.rows) {
      const all = await sql<Record<string, unknown>>`select * from ${sql.table(`${schema}.${name}`)}`.execute(
        o,
      );
      const text = await sql<{
        row: string;
      }>`select x::text as row from ${sql.table(`${schema}.${name}`)} x`.execute(o);
      rows += all.rows.length;
      for (const row of all.rows) {
        for (const value of Object.values(row)) {
          // Column values are never undefined (SQL NULL arrives as null), so JSON.stringify returns text.
          const bytes = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value), 'utf8');
          if (needles.some((n) => bytes.includes(n))) hits.push(`${schema}.${name}`);
        }
      }
      for (const { row } of text.rows)
        if (needles.some((n) => row.includes(n.toString('utf8')))) hits.push(`${schema}.${name} (as text)`);
    }
    t.ok(tables.rows.length >= 15, `${tables.rows.length} tables scanned`);
    t.ok(rows > 20, `${rows} rows scanned`);
    return hits;
  });
  t.same(found, [], 'no table holds the marker in any encoding');
});
