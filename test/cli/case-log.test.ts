import t from 'tap';
import { sql } from 'kysely';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { cliRunner, json, type Run } from '../helpers/cli.js';
import { listen } from '../helpers/members.js';
import { asOwner } from '../helpers/owner.js';
import { createClsm } from '../../src/clsms/clsms.js';

// `clsm case log CASE`: the situation's membership log, verified on the device and read as
// sentences with names; a log rewritten in the database is refused, naming the statement and why.

// Each step is a real process: on a loaded machine the file needs more than the default bound.
t.setTimeout(900_000);
const ta = await startTestApp(t);
const url = await listen(ta.app);
const { clsm } = await cliRunner(t, url);

const must = async (run: Promise<Run>): Promise<Run> => {
  const done = await run;
  if (done.code !== 0) throw new Error(`clsm failed: ${done.stderr}`);
  return done;
};

const created = await createClsm(ta.ctx.db, 'CLSM du journal', ta.ctx.charters);
mustNotLeak(created.coordinatorCode);
const coordinator = json(
  await must(clsm('coordinator', ['enroll', '--code', created.coordinatorCode, '--json'])),
) as { memberId: string };
await must(clsm('coordinator', ['charter', 'accept']));
const invitation = json(
  await must(
    clsm('coordinator', [
      'member',
      'invite',
      '--role',
      'health_professional',
      '--org',
      'CMP Nord',
      '--name',
      'Infirmière Durand',
      '--json',
    ]),
  ),
) as { code: string };
mustNotLeak(invitation.code);
const nurse = json(await must(clsm('nurse', ['enroll', '--code', invitation.code, '--json']))) as {
  memberId: string;
  sas: string;
};
await must(clsm('coordinator', ['member', 'certify', nurse.memberId, '--sas', nurse.sas]));
await must(clsm('nurse', ['charter', 'accept']));

const referred = json(await must(clsm('nurse', ['case', 'refer', '--reason', 'incurie', '--json']))) as {
  id: string;
};
await must(clsm('nurse', ['entry', 'add', referred.id, '--compartment', 'synthesis', '--text', 'fiche']));
await must(clsm('nurse', ['participant', 'add', referred.id, coordinator.memberId, '--yes']));

t.test('the honest log is verified and read as who changed what, when', async (t) => {
  const shown = await must(clsm('coordinator', ['case', 'log', referred.id]));
  t.match(shown.stdout, `Membership log of ${referred.id}: 3 statement(s)`);
  t.match(shown.stdout, /^ {3}0 {2}\S+Z {2}Infirmière Durand \(CMP Nord\) {2}referred the situation/m);
  t.match(
    shown.stdout,
    /^ {3}1 .+ {2}made synthesis key v1, sealed to: Infirmière Durand \(CMP Nord\) keys v1$/m,
  );
  t.match(shown.stdout, /^ {3}2 .+ {2}added Coordination \(CLSM du journal\) in: /m);
  t.notMatch(shown.stdout, nurse.memberId, 'names, not ids');

  const asJson = json(await must(clsm('coordinator', ['case', 'log', referred.id, '--json'])));
  t.match(asJson, {
    caseId: referred.id,
    verified: true,
    head: { seq: 2, hash: String },
    statements: [
      { seq: 0, kind: 'opened', authorId: nurse.memberId },
      { seq: 1, kind: 'key', authorId: nurse.memberId },
      { seq: 2, kind: 'added', authorId: nurse.memberId },
    ],
  });
});

t.test('a log rewritten in the database is refused with the statement and the reason', async (t) => {
  // The database administrator writes the coordinator in as a recipient of the first synthesis
  // key: the nurse never signed that.
  await asOwner(ta.db, async (o) => {
    await sql`alter table case_log disable trigger user`.execute(o);
    try {
      await o
        .updateTable('case_log')
        .set({ recipients: sql`recipients || ${`${coordinator.memberId}:1`}::text` })
        .where('case_id', '=', referred.id)
        .where('seq', '=', 1)
        .execute();
    } finally {
      await sql`alter table case_log enable trigger user`.execute(o);
    }
  });
  const refused = await clsm('nurse', ['case', 'log', referred.id]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, 'CASE_LOG_REFUSED: membership log statement 1 refused (BAD_SIGNATURE)');
  t.match(refused.stderr, /next: .*tell your DPO/);
  t.equal(refused.stdout, '', 'nothing of the refused log is printed');
  const asJson = await clsm('nurse', ['case', 'log', referred.id, '--json']);
  t.equal(asJson.code, 1);
  t.match(json(asJson), { ok: false, code: 'CASE_LOG_REFUSED', seq: 1, reason: 'BAD_SIGNATURE' });
});
