import t, { type Test } from 'tap';
import { sql, type Kysely } from 'kysely';
import { startTestApp } from '../helpers/app.js';
import { cellule } from '../helpers/cellule.js';
import { eventsOf } from '../helpers/audit.js';
import { lyingProxy } from '../helpers/lying-proxy.js';
import { sdkFor } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { caseLogHash, change, signCaseLogStatement } from '../../src/crypto/case-log-statements.js';
import { CaseLogError, type CaseLogRefusal } from '../../src/crypto/case-log-state.js';
import { fromRow } from '../../src/case-log/log.js';
import type { CaseLogTable } from '../../src/case-log/schema.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import type { ClsmClient } from '../../src/client/client.js';

// A situation's membership log against the adversary it exists for: a server, or whoever holds its
// database, that wants to give someone a key. The server refuses an action without its signed
// statement, or with one that says something else; every client refuses a log that was forged,
// reordered, replayed from another situation or rewritten under it, and rotates a key after a
// removal whatever the server says.

const ta = await startTestApp(t);
const cell = await cellule(ta, {
  nurse: 'health_professional',
  sw: 'social_worker',
  landlord: 'partner',
  doctor: 'health_professional',
});
const { members: m, sdk } = cell;
const enc = (s: string) => new TextEncoder().encode(s);

const situation = () =>
  cell.situation({ by: 'nurse', addedBy: 'nurse', participants: ['sw'], entries: { health: ['Suivi CMP'] } });

/** As the schema owner, with the log's append-only triggers off: what a database administrator can do. */
async function rewriteLog(fn: (db: Kysely<any>) => Promise<unknown>): Promise<void> {
  await asOwner(ta.db, async (o) => {
    await sql`alter table case_log disable trigger user`.execute(o);
    try {
      await fn(o);
    } finally {
      await sql`alter table case_log enable trigger user`.execute(o);
    }
  });
}

const logRows = (caseId: string) =>
  asOwner(ta.db, (o) =>
    o.selectFrom('case_log').selectAll().where('case_id', '=', caseId).orderBy('seq').execute(),
  );

/** A statement signed by a real member, in the next place of the situation's log as the database holds it. */
async function forged(caseId: string, author: (typeof m)['nurse'], c: ReturnType<typeof change>) {
  const rows = await logRows(caseId);
  const last = fromRow(rows.at(-1) as CaseLogTable);
  return signCaseLogStatement(
    {
      ...c,
      clsmId: cell.clsmId,
      caseId,
      seq: last.seq + 1,
      prevHash: await caseLogHash(last),
      authorId: author.id,
      authorKeyVersion: 1,
      at: new Date().toISOString(),
    },
    author.keys.signSecretKey,
  );
}

async function insertStatement(s: Awaited<ReturnType<typeof forged>>) {
  await rewriteLog((o) =>
    o
      .insertInto('case_log')
      .values({
        clsm_id: s.clsmId,
        case_id: s.caseId,
        seq: s.seq,
        prev_hash: s.prevHash === null ? null : Buffer.from(s.prevHash),
        kind: s.kind,
        author_id: s.authorId,
        author_key_version: s.authorKeyVersion,
        at: s.at,
        subject_id: s.subjectId,
        compartments: s.compartments,
        key_version: s.keyVersion,
        recipients: s.recipients,
        decision: s.decision,
        scope: s.scope,
        hours: s.hours,
        until: s.until,
        ref: s.ref,
        requested_by: s.requestedBy,
        signature: Buffer.from(s.signature),
        hash: Buffer.alloc(32),
      })
      .execute(),
  );
}

/** The refusal a fresh device gives when it reads the situation's log. */
async function refusal(client: ClsmClient, caseId: string): Promise<unknown> {
  return client.caseLogs.current(caseId).then(
    () => undefined,
    (e: unknown) => e,
  );
}

const refusedWith = (t: Test, err: unknown, reason: CaseLogRefusal) => {
  t.ok(err instanceof CaseLogError, 'the device refuses the log');
  t.match(err, { reason }, reason);
};

t.test(
  'the server refuses a change without its statement, or with one that says something else',
  async (t) => {
    const { id } = await situation();
    const url = `/v1/cases/${id}/participants`;
    const unsigned = await ta.app.inject({
      method: 'POST',
      url,
      headers: m.nurse.headers,
      payload: { memberId: m.landlord.id, compartments: ['synthesis'] },
    });
    t.equal(unsigned.statusCode, 400, 'no statement: refused');
    t.match(await eventsOf(ta.ctx.db, unsigned), [
      { type: 'access.denied', outcome: 'denied', reason: 'VALIDATION_FAILED', action: 'participant.add' },
    ]);
    // Signed for the synthesis only, sent for every compartment: the signature does not cover it.
    const log = await sdk.nurse.caseLogs.seal(
      id,
      change('added', { subjectId: m.landlord.id, compartments: ['synthesis'] }),
    );
    const other = await ta.app.inject({
      method: 'POST',
      url,
      headers: m.nurse.headers,
      payload: { memberId: m.landlord.id, compartments: COMPARTMENTS, log },
    });
    t.equal(other.statusCode, 400);
    t.equal(other.json().code, 'BAD_SIGNATURE');
    t.match(await eventsOf(ta.ctx.db, other), [
      { type: 'access.denied', outcome: 'denied', reason: 'BAD_SIGNATURE', action: 'participant.add' },
    ]);
    t.notOk(
      (await sdk.nurse.cases.view(id)).participants.some((p) => p.memberId === m.landlord.id),
      'nothing changed',
    );

    // Signed by the nurse, sent by the social worker: the statement is the caller's own or nothing.
    const borrowed = await ta.app.inject({
      method: 'POST',
      url,
      headers: m.sw.headers,
      payload: { memberId: m.landlord.id, compartments: ['synthesis'], log },
    });
    t.equal(borrowed.json().code, 'BAD_SIGNATURE', "another member's signature is refused");

    // Two changes signed for the same place: the second is told the log moved, and the SDK signs again.
    // Narrowing is the coordinator's to do (policies/cases.cedar).
    const first = await sdk.coordinator.caseLogs.seal(
      id,
      change('narrowed', { subjectId: m.sw.id, compartments: ['health'] }),
    );
    await sdk.nurse.cases.addParticipant(id, m.landlord.id, ['synthesis']);
    const stale = await ta.app.inject({
      method: 'DELETE',
      url: `/v1/cases/${id}/participants/${m.sw.id}/compartments/health`,
      headers: m.coordinator.headers,
      payload: { log: first },
    });
    t.equal(stale.statusCode, 409);
    t.equal(stale.json().code, 'LOG_HEAD_MOVED');
    await Promise.all([
      sdk.coordinator.cases.unassign(id, m.sw.id, 'health'),
      sdk.nurse.cases.addParticipant(id, m.doctor.id, ['health', 'synthesis']),
    ]);
    const state = await sdkFor(cell.url, m.doctor).caseLogs.current(id);
    t.same(
      state.participants.get(m.sw.id)?.compartments.includes('health'),
      false,
      'concurrent changes all land',
    );
    t.ok(state.participants.has(m.doctor.id));
  },
);

t.test('a member written into the log by the database is refused by every device', async (t) => {
  const { id } = await situation();
  // The landlord signs her own addition, with her real keys, and the database slips it in.
  const self = await forged(
    id,
    m.landlord,
    change('added', { subjectId: m.landlord.id, compartments: COMPARTMENTS }),
  );
  await insertStatement(self);
  await asOwner(ta.db, (o) =>
    o
      .insertInto('case_participants')
      .values({
        clsm_id: cell.clsmId,
        case_id: id,
        member_id: m.landlord.id,
        added_by: m.nurse.id,
        added_at: new Date(),
        removed_at: null,
      })
      .execute(),
  );
  refusedWith(t, await refusal(sdkFor(cell.url, m.nurse), id), 'NOT_A_PARTICIPANT');
  await t.rejects(sdkFor(cell.url, m.nurse).cases.shareKeys(id), CaseLogError, 'no key is handed over');
  t.same(
    await ta.ctx.db
      .selectFrom('key_grants')
      .select('compartment')
      .where('case_id', '=', id)
      .where('grantee_id', '=', m.landlord.id)
      .execute(),
    [],
    'and none reached her',
  );
});

t.test('a participant cannot add themselves, even with a real signature in the log', async (t) => {
  const { id } = await situation();
  // The coordinator may add to any situation, but never herself alone.
  const coordinator = m.coordinator;
  const self = change('added', { subjectId: coordinator.id, compartments: COMPARTMENTS });
  await insertStatement(await forged(id, coordinator, self));
  refusedWith(t, await refusal(sdkFor(cell.url, m.nurse), id), 'ALONE');
  const { id: other } = await cell.situation({ by: 'nurse' });
  await insertStatement(
    await forged(other, m.doctor, change('added', { subjectId: m.doctor.id, compartments: COMPARTMENTS })),
  );
  refusedWith(t, await refusal(sdkFor(cell.url, m.nurse), other), 'NOT_A_PARTICIPANT');
  const { id: third } = await cell.situation({ by: 'nurse', addedBy: 'nurse', participants: ['doctor'] });
  // An approval by the one who asked for the addition.
  const asked = change('added', { subjectId: m.sw.id, compartments: COMPARTMENTS, requestedBy: m.doctor.id });
  await insertStatement(await forged(third, m.doctor, asked));
  refusedWith(t, await refusal(sdkFor(cell.url, m.nurse), third), 'ALONE');
});

t.test('a log reordered, replayed from another situation, or forked under a device is refused', async (t) => {
  const a = await situation();
  await rewriteLog(async (o) => {
    await o
      .updateTable('case_log')
      .set({ seq: 100 })
      .where('case_id', '=', a.id)
      .where('seq', '=', 1)
      .execute();
    await o
      .updateTable('case_log')
      .set({ seq: 1 })
      .where('case_id', '=', a.id)
      .where('seq', '=', 2)
      .execute();
    await o
      .updateTable('case_log')
      .set({ seq: 2 })
      .where('case_id', '=', a.id)
      .where('seq', '=', 100)
      .execute();
  });
  refusedWith(t, await refusal(sdkFor(cell.url, m.sw), a.id), 'WRONG_PREV_HASH');

  const b = await situation();
  const c = await situation();
  await rewriteLog(async (o) => {
    await o.deleteFrom('case_log').where('case_id', '=', c.id).execute();
    const copied = await o.selectFrom('case_log').selectAll().where('case_id', '=', b.id).execute();
    await o
      .insertInto('case_log')
      .values(copied.map((r: Record<string, unknown>) => ({ ...r, case_id: c.id })))
      .execute();
  });
  refusedWith(t, await refusal(sdkFor(cell.url, m.sw), c.id), 'BAD_SIGNATURE');

  // The nurse's device verified the log; the database then drops its last statement, the server
  // takes another in its place, and one more after it: the nurse's device sees the fork.
  const d = await situation();
  const nurse = sdkFor(cell.url, m.nurse);
  await nurse.caseLogs.current(d.id);
  const head = (await logRows(d.id)).length - 1;
  await rewriteLog((o) =>
    o.deleteFrom('case_log').where('case_id', '=', d.id).where('seq', '=', head).execute(),
  );
  await sdk.sw.cases.addParticipant(d.id, m.landlord.id, ['synthesis']);
  await sdk.coordinator.cases.unassign(d.id, m.landlord.id, 'synthesis');
  refusedWith(t, await refusal(nurse, d.id), 'WRONG_PREV_HASH');
});

t.test('after a removal the device makes a new key, whatever the server says of rotation', async (t) => {
  const { id } = await cell.situation({
    by: 'nurse',
    addedBy: 'nurse',
    participants: ['doctor'],
    entries: { health: ['Avant le départ'] },
  });
  await sdk.doctor.cases.read(id, 'health');
  const proxy = await lyingProxy(t, cell.url);
  proxy.response('GET', new RegExp(`^/v1/cases/${id}$`), (view) => {
    for (const c of view.compartments) c.rotationRequired = false;
    return view;
  });
  const nurse = sdkFor(proxy.url, m.nurse);
  await sdk.coordinator.cases.removeParticipant(id, m.doctor.id);
  const before = (await nurse.caseLogs.current(id)).keys.get('health')?.at(-1)?.version;
  await nurse.cases.write(id, 'health', enc('Après le départ'));
  t.ok(proxy.rewritten() > 0, 'the server hid the rotation');
  const log = await nurse.caseLogs.current(id);
  const made = log.keys.get('health')?.at(-1);
  t.equal(made?.version, (before ?? 0) + 1, 'a new health key was made first');
  t.notOk(
    made?.recipients.some((r) => r.startsWith(m.doctor.id)),
    'and not sealed to the doctor who left',
  );
  const written = await ta.ctx.db
    .selectFrom('entries')
    .select('key_version')
    .where('case_id', '=', id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  t.equal(written.key_version, made?.version, 'the entry is under the new key');
});
