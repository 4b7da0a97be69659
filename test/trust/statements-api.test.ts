import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { eventsOf } from '../helpers/audit.js';
import { addMember, loginAs, newClsm } from '../helpers/members.js';
import { generateDeviceKeys } from '../../src/crypto/device-keys.js';
import { postStatement, sign } from '../helpers/directory.js';

// The server's side of the directory log: it takes a statement only from a coordinator, signed by
// their current key, at the head of the log, and about what it has on record; every refusal is
// audited; an accepted statement changes the member as it says, in the same transaction.

const ta = await startTestApp(t);
const { coordinator } = await newClsm(ta);
const social = await addMember(ta, coordinator, 'social_worker');
const newcomer = await addMember(ta, coordinator, 'health_professional', { certified: false });

const card = {
  role: 'health_professional',
  organisation: 'Org health_professional',
  displayName: 'Member health_professional',
};
const keysOf = (m: typeof newcomer) => ({
  signPublicKey: m.keys.signPublicKey,
  boxPublicKey: m.keys.boxPublicKey,
  keyVersion: 1,
});

t.test('a member who is not a coordinator certifies no member', async (t) => {
  const res = await postStatement(ta.app, social, {
    kind: 'certify',
    subjectId: newcomer.id,
    ...card,
    ...keysOf(newcomer),
  });
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'FORBIDDEN');
  // Past the gate (a social worker certifies the person she invited), refused by the log's replay.
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'member.certified', outcome: 'denied', reason: 'FORBIDDEN', actor_id: social.id },
  ]);
  const suspension = await sign(ta.app, social, 'suspend', newcomer.id);
  t.equal(suspension.statusCode, 403);
  t.match(await eventsOf(ta.ctx.db, suspension), [
    { type: 'access.denied', outcome: 'denied', action: 'directory.suspend', actor_id: social.id },
  ]);
});

t.test('a certificate for other keys than the member registered is refused and audited', async (t) => {
  const other = await generateDeviceKeys();
  const res = await postStatement(ta.app, coordinator, {
    kind: 'certify',
    subjectId: newcomer.id,
    ...card,
    signPublicKey: other.signPublicKey,
    boxPublicKey: other.boxPublicKey,
    keyVersion: 1,
  });
  t.equal(res.statusCode, 409);
  t.match(res.json().detail, /latest registered keys/);
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'member.certified', outcome: 'denied', reason: 'CONFLICT', subject_id: newcomer.id },
  ]);
  const changed = await postStatement(ta.app, coordinator, {
    kind: 'certify',
    subjectId: newcomer.id,
    ...card,
    role: 'coordinator',
    ...keysOf(newcomer),
  });
  t.equal(changed.statusCode, 409, 'nor for another role than the invitation named');
});

t.test('a statement with a bad signature is refused and audited', async (t) => {
  const res = await postStatement(
    ta.app,
    coordinator,
    { kind: 'certify', subjectId: newcomer.id, ...card, ...keysOf(newcomer) },
    social.keys.signSecretKey,
  );
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'BAD_SIGNATURE');
  t.match(await eventsOf(ta.ctx.db, res), [
    { type: 'member.certified', outcome: 'denied', reason: 'BAD_SIGNATURE', actor_id: coordinator.id },
  ]);
});

t.test('a statement that is not at the head conflicts; a second root is refused', async (t) => {
  const stale = await postStatement(ta.app, coordinator, {
    kind: 'certify',
    subjectId: newcomer.id,
    ...card,
    ...keysOf(newcomer),
    seq: 1,
  });
  t.equal(stale.statusCode, 409);
  const root = await postStatement(ta.app, coordinator, {
    kind: 'root',
    subjectId: coordinator.id,
    role: 'coordinator',
    organisation: 'CLSM de Test',
    displayName: 'Coordination',
    signPublicKey: coordinator.keys.signPublicKey,
    boxPublicKey: coordinator.keys.boxPublicKey,
    keyVersion: 1,
  });
  t.equal(root.statusCode, 400, 'the root comes first and only first');
  t.equal((await eventsOf(ta.ctx.db, root))[0]?.type, 'directory.root_signed');
});

t.test('accepted statements change the member as they say', async (t) => {
  const certified = await postStatement(ta.app, coordinator, {
    kind: 'certify',
    subjectId: newcomer.id,
    ...card,
    ...keysOf(newcomer),
  });
  t.equal(certified.statusCode, 201);
  t.match(await eventsOf(ta.ctx.db, certified), [{ type: 'member.certified', outcome: 'success' }]);

  const member = () =>
    ta.ctx.db
      .selectFrom('members')
      .select(['role', 'status'])
      .where('id', '=', newcomer.id)
      .executeTakeFirstOrThrow();
  t.equal((await sign(ta.app, coordinator, 'role', newcomer.id, 'social_worker')).statusCode, 201);
  t.equal((await member()).role, 'social_worker');

  t.equal((await sign(ta.app, coordinator, 'suspend', newcomer.id)).statusCode, 201);
  t.equal((await member()).status, 'suspended');
  await t.rejects(loginAs(ta.app, newcomer.clsmId, newcomer.id, newcomer.keys), /401/, 'suspended: no login');
  t.equal((await sign(ta.app, coordinator, 'suspend', newcomer.id)).statusCode, 409, 'not twice');

  const back = await sign(ta.app, coordinator, 'reinstate', newcomer.id);
  t.equal(back.statusCode, 201);
  t.match(await eventsOf(ta.ctx.db, back), [{ type: 'member.reinstated', outcome: 'success' }]);
  t.equal((await member()).status, 'active');
  t.ok(await loginAs(ta.app, newcomer.clsmId, newcomer.id, newcomer.keys), 'reinstated: logs in again');
});

t.test('the log is append-only, even for the schema owner without dropping a trigger', async (t) => {
  const { asOwner } = await import('../helpers/owner.js');
  await t.rejects(
    asOwner(ta.db, (o) =>
      o.deleteFrom('directory_entries').where('clsm_id', '=', coordinator.clsmId).execute(),
    ),
    /append-only/,
  );
  await t.rejects(
    ta.ctx.db
      .updateTable('directory_entries')
      .set({ role: 'coordinator' })
      .where('clsm_id', '=', coordinator.clsmId)
      .execute(),
    /permission denied|append-only/,
    'the API role may not update it',
  );
});
