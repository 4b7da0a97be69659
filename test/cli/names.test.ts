import t from 'tap';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { cliRunner, json, type Run } from '../helpers/cli.js';
import { enrollWithCode, listen } from '../helpers/members.js';
import { newcomerSas } from '../helpers/directory.js';
import { parseInvitationCode } from '../../src/crypto/invitation-code.js';
import type { DeviceKeys } from '../../src/crypto/device-keys.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// What a first-time user reads: names and fingerprints rather than UUIDs, the real server address
// in the invitation hint, decrypted action descriptions, the person's access report, and a refusal
// that names the role it refuses.

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

const created = await createClsm(ta.ctx.db, 'CLSM des noms', ta.ctx.charters);
mustNotLeak(created.coordinatorCode);
const coordinator = json(
  await must(clsm('coordinator', ['enroll', '--code', created.coordinatorCode, '--json'])),
) as { memberId: string; fingerprint: string };
await must(clsm('coordinator', ['charter', 'accept']));
const invite = (args: string[]) => must(clsm('coordinator', ['member', 'invite', ...args]));
/** The coordinator certifies a member enrolled with `code`, with the string their device showed. */
const certify = async (code: string, member: { memberId: string; clsmId: string; keys: DeviceKeys }) => {
  const secret = parseInvitationCode(code)?.secret ?? new Uint8Array(16);
  const sas = await newcomerSas(secret, { clsmId: member.clsmId, id: member.memberId, keys: member.keys });
  await must(clsm('coordinator', ['member', 'certify', member.memberId, '--sas', sas]));
};

t.test('the invitation hint names the real server', async (t) => {
  const run = await invite([
    '--role',
    'health_professional',
    '--org',
    'CMP Nord',
    '--name',
    'Infirmière Durand',
  ]);
  t.match(run.stdout, `clsm enroll --server ${url} --code CODE`);
  t.notMatch(run.stdout, '--server URL');
  const code = /^ {4}(\S+)$/m.exec(run.stdout)?.[1] ?? '';
  mustNotLeak(code);
  const nurse = json(await must(clsm('nurse', ['enroll', '--code', code, '--json']))) as {
    memberId: string;
    sas: string;
  };
  await must(clsm('coordinator', ['member', 'certify', nurse.memberId, '--sas', nurse.sas]));
  await must(clsm('nurse', ['charter', 'accept']));
});

t.test('member invite takes the partner category', async (t) => {
  const run = json(
    await invite(['--role', 'partner', '--org', 'Habitat 13', '--partner-category', 'bailleur', '--json']),
  ) as { code: string };
  mustNotLeak(run.code);
  const landlord = await enrollWithCode(ta.app, run.code);
  const row = await ta.ctx.db
    .selectFrom('members')
    .select('partner_category')
    .where('id', '=', landlord.memberId)
    .executeTakeFirstOrThrow();
  t.equal(row.partner_category, 'bailleur');
});

t.test('names, fingerprints, decrypted actions and the access report', async (t) => {
  const nurse = json(await must(clsm('nurse', ['whoami', '--json']))) as { memberId: string };
  const referred = json(await must(clsm('nurse', ['case', 'refer', '--reason', 'incurie', '--json']))) as {
    id: string;
    reference: string;
  };
  await must(clsm('nurse', ['entry', 'add', referred.id, '--compartment', 'synthesis', '--text', 'fiche']));

  // Without a terminal to ask on and without --yes, no key goes to a newcomer: the participant is
  // added, the keys wait, and the command says whom it would have handed them to; `grant --yes`
  // hands them over.
  const unconfirmed = await clsm('nurse', ['participant', 'add', referred.id, coordinator.memberId]);
  t.equal(unconfirmed.code, 2);
  t.match(unconfirmed.stderr, /CONFIRMATION_NEEDED/);
  t.match(unconfirmed.stderr, `fingerprint ${coordinator.fingerprint}`);
  const waiting = await ta.ctx.db
    .selectFrom('key_grants')
    .select('compartment')
    .where('case_id', '=', referred.id)
    .where('grantee_id', '=', coordinator.memberId)
    .execute();
  t.same(waiting, [], 'no key was sealed to them');

  const added = await must(clsm('nurse', ['grant', referred.id, '--yes']));
  t.match(added.stdout, 'Coordination, coordinator, CLSM des noms');
  t.match(
    added.stdout,
    `fingerprint ${coordinator.fingerprint}`,
    'the receiver of the keys, with their fingerprint',
  );

  const listed = await must(clsm('nurse', ['member', 'list']));
  t.match(listed.stdout, `fingerprint ${coordinator.fingerprint}`);
  t.match(listed.stdout, /Infirmière Durand — health_professional, CMP Nord/);

  await must(clsm('coordinator', ['case', 'accept', referred.id]));
  const sitting = json(
    await must(
      clsm('coordinator', [
        'sitting',
        'create',
        '--at',
        '2030-01-15T14:00:00Z',
        '--place',
        'Mairie',
        '--convene',
        nurse.memberId,
        '--json',
      ]),
    ),
  ) as { id: string };
  const agenda = await must(clsm('coordinator', ['sitting', 'agenda', sitting.id, referred.id]));
  t.match(agenda.stdout, `${referred.reference} is on the agenda`);
  const item = /\(item ([0-9a-f-]{36})\)/.exec(agenda.stdout)?.[1] ?? '';
  const what = 'Appeler le CMP avant vendredi';
  mustNotLeak(what);
  const action = await must(
    clsm('coordinator', [
      'sitting',
      'action',
      sitting.id,
      item,
      '--assignee',
      nurse.memberId,
      '--due',
      '2030-02-01',
      '--text',
      what,
    ]),
  );
  t.match(
    action.stdout,
    `Action for ${referred.reference} assigned to Infirmière Durand (CMP Nord), due 2030-02-01.`,
  );
  const shown = await must(clsm('coordinator', ['sitting', 'show', sitting.id]));
  t.match(shown.stdout, 'action for Infirmière Durand (CMP Nord)');
  t.notMatch(shown.stdout, nurse.memberId, 'names, not ids');

  const mine = await must(clsm('nurse', ['actions']));
  t.match(mine.stdout, what, 'the description, decrypted on the device');

  const report = await must(clsm('coordinator', ['case', 'access-report', referred.id]));
  t.match(report.stdout, `Access report of ${referred.reference}`);
  t.match(report.stdout, 'Infirmière Durand (CMP Nord, health_professional)');
  const csv = await must(clsm('coordinator', ['case', 'access-report', referred.id, '--csv']));
  t.match(csv.stdout, /^at,type,outcome,/);
  t.match(csv.stdout, 'Infirmière Durand');
});

t.test('refusing an elected official names their role, not the caller', async (t) => {
  const code = (
    json(await invite(['--role', 'elected_official', '--org', 'Mairie', '--json'])) as { code: string }
  ).code;
  mustNotLeak(code);
  const elected = await enrollWithCode(ta.app, code);
  await certify(code, elected);
  const referred = json(await must(clsm('nurse', ['case', 'refer', '--reason', 'isolement', '--json']))) as {
    id: string;
  };
  const refused = await clsm('nurse', ['participant', 'add', referred.id, elected.memberId]);
  t.equal(refused.code, 1);
  t.match(
    refused.stderr,
    'FORBIDDEN: a member whose role is elected_official may not take part in a situation',
  );
  t.notMatch(refused.stderr, 'your role');
  await eventsSealed(ta.ctx.db);
  const event = await ta.ctx.db
    .selectFrom('audit_events')
    .select(['type', 'outcome', 'reason', 'action'])
    .where('case_id', '=', referred.id)
    .where('type', '=', 'access.denied')
    .executeTakeFirst();
  t.match(event, { outcome: 'denied', reason: 'FORBIDDEN', action: 'participant.add' });
});

t.test('what opens content to its author waits for a second participant, by name', async (t) => {
  const referred = json(await must(clsm('nurse', ['case', 'refer', '--reason', 'dettes', '--json']))) as {
    id: string;
  };
  const asked = json(
    await must(clsm('coordinator', ['participant', 'add', referred.id, coordinator.memberId, '--json'])),
  ) as { added: boolean; pending: string };
  t.equal(asked.added, false, 'adding herself only asks');
  const pending = await must(clsm('nurse', ['participant', 'pending', referred.id]));
  t.match(pending.stdout, `${asked.pending} Coordination, coordinator, CLSM des noms`);
  const own = await clsm('coordinator', ['participant', 'approve', referred.id, asked.pending]);
  t.equal(own.code, 1, 'she cannot approve it herself');
  t.match(own.stderr, 'FORBIDDEN');
  const approved = await must(clsm('nurse', ['participant', 'approve', referred.id, asked.pending, '--yes']));
  t.match(approved.stdout, 'Addition approved; the keys you hold were handed over to: Coordination');

  const proposed = await must(
    clsm('coordinator', [
      'consent',
      'record',
      referred.id,
      '--decision',
      'given',
      '--obtained',
      'oral',
      '--scope',
      'coordinator:identity',
    ]),
  );
  t.match(proposed.stdout, 'it widens what your own role may read');
  const id = /proposed \(([0-9a-f-]{36})\)/.exec(proposed.stdout)?.[1] ?? '';
  t.match((await must(clsm('nurse', ['consent', 'pending', referred.id]))).stdout, `${id} `);
  const confirmed = await must(clsm('nurse', ['consent', 'confirm', referred.id, id]));
  t.match(confirmed.stdout, "Consent change confirmed: it is the person's consent from now on");
});
