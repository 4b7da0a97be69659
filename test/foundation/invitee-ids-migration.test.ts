import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openTestDatabase } from '../helpers/database.js';
import { asOwner } from '../helpers/owner.js';
import * as inviteeIds from '../../migrations/2026113001_invitee_ids.js';

// Enrollment codes issued before a code named the member it creates: those already redeemed take
// the member they created, the others a fresh id, and the column is then required. Replayed on the
// migrated template, taken one step back, with codes as the previous version wrote them.

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());

const code = (clsmId: string, fields: Record<string, unknown>) => ({
  clsm_id: clsmId,
  id: randomUUID(),
  code_hash: randomBytes(32),
  role: 'partner',
  organisation: 'Bailleur',
  display_name: 'Nouveau',
  expires_at: new Date(Date.now() + 86_400_000),
  ...fields,
});

t.test('codes of the previous version get their member id', async (t) => {
  await asOwner(tdb, async (db: Kysely<any>) => {
    await inviteeIds.down(db);
    const clsmId = randomUUID();
    await db.insertInto('tenants').values({ clsm_id: clsmId, name: 'Avant' }).execute();
    const member = randomUUID();
    const redeemed = code(clsmId, { used_at: new Date(), used_by: member });
    const pending = code(clsmId, {});
    const recovery = code(clsmId, { purpose: 'recover', member_id: member });
    await db.insertInto('enrollment_codes').values([redeemed, pending, recovery]).execute();

    await inviteeIds.up(db);
    const rows = await db
      .selectFrom('enrollment_codes')
      .select(['id', 'member_id'])
      .where('clsm_id', '=', clsmId)
      .execute();
    const idOf = (id: string): unknown => rows.find((r) => r.id === id)?.member_id;
    t.equal(idOf(redeemed.id), member, 'a redeemed code names the member it created');
    t.match(idOf(pending.id), /^[0-9a-f-]{36}$/, 'an unused code names a new member');
    t.not(idOf(pending.id), member);
    t.equal(idOf(recovery.id), member, 'a recovery code still names its member');
    await t.rejects(
      db.insertInto('enrollment_codes').values(code(clsmId, {})).execute(),
      /member_id/,
      'a code without a member id is refused',
    );
    const nulls = await sql<{
      n: number;
    }>`select count(*)::int as n from enrollment_codes where member_id is null`.execute(db);
    t.equal(nulls.rows[0]?.n, 0);
  });
});
