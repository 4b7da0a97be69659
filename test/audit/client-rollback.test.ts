import t from 'tap';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { auditedWrite } from '../helpers/audit.js';
import { ClsmClient } from '../../src/client/client.js';
import { AuditRollbackError, inMemoryCheckpoints } from '../../src/client/audit-memory.js';
import { checkpointClsm } from '../../src/audit/checkpoints.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// Every client remembers the latest signed checkpoint it saw: the schema owner who cuts the audit
// log's tail (and its checkpoints) is refused by every device that saw the log before the cut.

const ta = await startTestApp(t);
const url = await listen(ta.app);
const { clsmId, coordinator } = await newClsm(ta);
const nurse = await addMember(ta, coordinator, 'health_professional');
const memory = inMemoryCheckpoints();
const device = () =>
  new ClsmClient({ serverUrl: url, clsmId, memberId: nurse.id, keys: nurse.keys }, { checkpoints: memory });

const cutTail = async (fromSeq: number) => {
  await eventsSealed(ta.ctx.db);
  await asOwner(ta.db, async (o) => {
    await sql`alter table audit_events disable trigger user`.execute(o);
    await sql`alter table audit_checkpoints disable trigger user`.execute(o);
    await sql`delete from audit_events where clsm_id = ${clsmId} and seq >= ${fromSeq}`.execute(o);
    await sql`delete from audit_checkpoints where clsm_id = ${clsmId}`.execute(o);
    await sql`alter table audit_events enable trigger user`.execute(o);
    await sql`alter table audit_checkpoints enable trigger user`.execute(o);
  });
};

t.test('a client refuses a log cut below the checkpoint it saw', async (t) => {
  const cp = await checkpointClsm(ta.db.dbs.db, ta.ctx.auditSigner, clsmId);
  t.ok(cp);
  const seq = cp?.seq ?? 0;
  t.equal((await device().me()).memberId, nurse.id, 'the log as signed is accepted');
  t.match(await memory.get(clsmId), { seq }, 'and its head remembered');

  await cutTail(seq - 1);
  await t.rejects(device().me(), AuditRollbackError, 'no checkpoint any more: refused');

  // The cut log grows again and the server signs its new head, past the seq the device saw.
  for (let i = 0; i < 3; i++) await auditedWrite(ta.db.dbs.db, clsmId, i);
  const resigned = await checkpointClsm(ta.db.dbs.db, ta.ctx.auditSigner, clsmId);
  t.ok((resigned?.seq ?? 0) >= seq, 'a new head at or past the one the device saw');
  await t.rejects(device().me(), /no longer holds the event this device saw/, 'another history: refused');

  const forgetful = new ClsmClient({
    serverUrl: url,
    clsmId,
    memberId: nurse.id,
    keys: nurse.keys,
  });
  t.equal((await forgetful.me()).memberId, nurse.id, 'a device that saw nothing has nothing to hold it to');
});
