import t from 'tap';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { cliRunner, json } from '../helpers/cli.js';
import { listen } from '../helpers/members.js';
import { createClsm } from '../../src/clsms/clsms.js';

// The clsm command, scripted end to end as an operator would: real processes, real profiles on
// disk, a real server.

const ta = await startTestApp(t);
const url = await listen(ta.app);
const { clsm, root } = await cliRunner(t, url);

t.test('enroll, charter, invite, refer, write, read, through the command line', async (t) => {
  const created = await createClsm(ta.ctx.db, 'CLSM de la ligne de commande', ta.ctx.charters);
  mustNotLeak(created.coordinatorCode);
  const enrolled = await clsm('coordinator', ['enroll', '--code', created.coordinatorCode, '--json']);
  t.equal(enrolled.code, 0, enrolled.stderr);
  const coordinator = json(enrolled) as { memberId: string; fingerprint: string; rootFingerprint: string };
  t.equal(coordinator.rootFingerprint, coordinator.fingerprint, "the first coordinator's device is the root");
  t.match(coordinator.fingerprint, /^([0-9A-Z]{4} ){5}[0-9A-Z]{4}$/);
  t.equal(((await stat(path.join(root, 'coordinator', 'profile.json'))).mode & 0o777).toString(8), '600');
  t.equal(((await stat(path.join(root, 'coordinator'))).mode & 0o777).toString(8), '700');

  const blocked = await clsm('coordinator', [
    'member',
    'invite',
    '--role',
    'health_professional',
    '--org',
    'CMP',
  ]);
  t.equal(blocked.code, 1);
  t.match(blocked.stderr, /CHARTER_NOT_ACCEPTED/);
  t.match(blocked.stderr, /next: read and accept the charter/);
  t.equal((await clsm('coordinator', ['charter', 'accept'])).code, 0);
  const invitation = json(
    await clsm('coordinator', [
      'member',
      'invite',
      '--role',
      'health_professional',
      '--org',
      'CMP',
      '--json',
    ]),
  ) as { code: string; memberId: string };
  mustNotLeak(invitation.code);
  const nurse = json(await clsm('nurse', ['enroll', '--code', invitation.code, '--json'])) as {
    memberId: string;
    rootFingerprint: string;
    sas: string;
  };
  t.equal(nurse.memberId, invitation.memberId);
  t.equal(nurse.rootFingerprint, coordinator.fingerprint, 'the code carried the root of trust');
  t.match(nurse.sas, /^[A-Z2-9]{4}$/);
  t.equal((await clsm('nurse', ['charter', 'accept'])).code, 0);
  // The code the nurse reads out, typed wrong, certifies nothing.
  const wrongSas = nurse.sas === 'AAAA' ? 'BBBB' : 'AAAA';
  const mistyped = await clsm('coordinator', ['member', 'certify', nurse.memberId, '--sas', wrongSas]);
  t.equal(mistyped.code, 1);
  t.match(mistyped.stderr, /CODE_MISMATCH/);
  const certified = await clsm('coordinator', ['member', 'certify', nurse.memberId, '--sas', nurse.sas]);
  t.equal(certified.code, 0, certified.stderr);
  const chain = json(await clsm('nurse', ['member', 'verify', nurse.memberId, '--json'])) as {
    id: string;
    fingerprint: string;
  }[];
  t.same(
    chain.map((c) => c.id),
    [coordinator.memberId, nurse.memberId],
    'root, then the nurse it certified',
  );
  t.equal(chain[0]?.fingerprint, coordinator.fingerprint);

  const referred = json(
    await clsm('nurse', ['case', 'refer', '--reason', 'rupture_soins', '--urgency', 'urgent', '--json']),
  ) as { id: string; reference: string };
  const marker = 'CLSM-PLAINTEXT-MARKER-cli M. Exemple ne sort plus de chez lui';
  mustNotLeak(marker);
  t.equal(
    (await clsm('nurse', ['entry', 'add', referred.id, '--compartment', 'health', '--text', marker])).code,
    0,
  );
  const listed = json(
    await clsm('nurse', ['entry', 'list', referred.id, '--compartment', 'health', '--json']),
  ) as { text: string }[];
  t.equal(listed[0]?.text, marker);
  t.match((await clsm('coordinator', ['case', 'accept', referred.id])).stdout, /Now accepted/);
  const denied = await clsm('coordinator', ['entry', 'list', referred.id, '--compartment', 'health']);
  t.equal(denied.code, 1);
  t.match(denied.stderr, /FORBIDDEN/);

  // The person the situation is about, invited from it by the nurse with them present: their own
  // space, and nothing else.
  const forPerson = json(await clsm('nurse', ['case', 'invite-person', referred.id, '--json'])) as {
    code: string;
    memberId: string;
  };
  mustNotLeak(forPerson.code);
  const person = json(await clsm('person', ['enroll', '--code', forPerson.code, '--json'])) as {
    memberId: string;
    sas: string;
  };
  t.equal(person.memberId, forPerson.memberId);
  const vouched = await clsm('nurse', ['member', 'certify', person.memberId, '--sas', person.sas]);
  t.equal(vouched.code, 0, vouched.stderr);
  const joined = await clsm('nurse', [
    'participant',
    'add',
    referred.id,
    person.memberId,
    '--compartments',
    'person',
    '--yes',
  ]);
  t.equal(joined.code, 0, joined.stderr);
  const shared = 'Ce que nous avons décidé ensemble';
  const wrote = await clsm('nurse', [
    'entry',
    'add',
    referred.id,
    '--compartment',
    'person',
    '--text',
    shared,
    '--yes',
  ]);
  t.equal(wrote.code, 0, wrote.stderr);
  const own = json(
    await clsm('person', ['entry', 'list', referred.id, '--compartment', 'person', '--json']),
  ) as {
    text: string;
  }[];
  t.same(
    own.map((e) => e.text),
    [shared],
    'the person reads their own space',
  );
  const notTheirs = await clsm('person', ['entry', 'list', referred.id, '--compartment', 'health']);
  t.equal(notTheirs.code, 1);
  t.match(notTheirs.stderr, /FORBIDDEN/);
  t.notMatch(notTheirs.stdout + notTheirs.stderr, /MARKER/);

  const print = json(await clsm('coordinator', ['keys', 'fingerprint', '--json'])) as { fingerprint: string };
  t.equal(print.fingerprint, coordinator.fingerprint, 'the fingerprint shown at enrollment');
  t.match(json(await clsm('nurse', ['whoami', '--json'])), {
    role: 'health_professional',
  });
});

t.test('exit codes', async (t) => {
  t.equal((await clsm('nurse', ['whoami'], { CLSM_PASSPHRASE: 'pas la bonne' })).code, 4, 'wrong passphrase');
  t.equal((await clsm('nurse', ['frobnicate'])).code, 2, 'unknown command');
  t.equal((await clsm('nurse', ['case', 'refer', '--nonsense'])).code, 2, 'unknown option');
  t.equal((await clsm('nobody', ['whoami'])).code, 4, 'no profile');
  t.equal(
    (await clsm('nurse', ['whoami'], { CLSM_SERVER: 'http://127.0.0.1:9' })).code,
    3,
    'server unreachable',
  );
  t.equal((await clsm('nurse', ['logout'])).code, 0);
});

t.test('audit verify with no database named fails and creates nothing', async (t) => {
  const bare = await clsm('nurse', ['audit', 'verify'], { DATABASE_URL: '', DATA_DIR: '' });
  t.equal(bare.code, 2, 'a usage error, not "intact"');
  t.equal(bare.stdout, '', 'no verdict');
  t.match(
    bare.stderr,
    /^clsm: NO_DATABASE: [^\n]*DATA_DIR[^\n]*DATABASE_URL[^\n]*\n$/,
    'one line naming both',
  );
  t.notOk(existsSync(path.join(root, 'data')), 'no ./data created');

  const missing = path.join(root, 'no-such-data');
  const mistyped = await clsm('nurse', ['audit', 'verify', '--json'], {
    DATABASE_URL: '',
    DATA_DIR: missing,
  });
  t.equal(mistyped.code, 2);
  t.match(json(mistyped), { ok: false, code: 'NO_DATABASE' });
  t.notOk(existsSync(missing), 'the mistyped DATA_DIR is not created');
});
