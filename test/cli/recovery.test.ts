import t from 'tap';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { cliRunner, json } from '../helpers/cli.js';
import { listen } from '../helpers/members.js';
import { createClsm } from '../../src/clsms/clsms.js';

// A lost device replaced from the command line: the member backs up their keys, the coordinator
// issues a recovery code, and the new device recovers with it and the passphrase, with new keys.

const ta = await startTestApp(t);
const url = await listen(ta.app);
const { clsm } = await cliRunner(t, url);

t.test('keys backup, recovery code, recover', async (t) => {
  const created = await createClsm(ta.ctx.db, 'CLSM des appareils perdus', ta.ctx.charters);
  mustNotLeak(created.coordinatorCode);
  t.equal((await clsm('coordinator', ['enroll', '--code', created.coordinatorCode])).code, 0);
  t.equal((await clsm('coordinator', ['charter', 'accept'])).code, 0);
  const invitation = json(
    await clsm('coordinator', ['member', 'invite', '--role', 'social_worker', '--org', 'CCAS', '--json']),
  ) as { code: string };
  mustNotLeak(invitation.code);
  const enrolled = await clsm('social', ['enroll', '--code', invitation.code, '--json']);
  t.equal(enrolled.code, 0, enrolled.stderr);
  const social = json(enrolled) as { memberId: string; fingerprint: string };
  t.equal((await clsm('social', ['charter', 'accept'])).code, 0);

  const backup = await clsm('social', ['keys', 'backup', '--json']);
  t.equal(backup.code, 0, backup.stderr);
  t.same(json(backup), { keyVersion: 1 });
  const issued = await clsm('coordinator', ['member', 'recovery-code', social.memberId, '--json']);
  t.equal(issued.code, 0, issued.stderr);
  const { code } = json(issued) as { code: string };
  mustNotLeak(code);

  const stranger = await clsm('stranger', ['recover', '--code', code], {
    CLSM_PASSPHRASE: 'pas la phrase du tout',
  });
  t.equal(stranger.code, 4, 'the code without the passphrase opens nothing');
  t.match(stranger.stderr, /wrong passphrase: 4 attempt\(s\) left/);

  const recovered = await clsm('social-new', ['recover', '--code', code, '--json']);
  t.equal(recovered.code, 0, recovered.stderr);
  const result = json(recovered) as { memberId: string; keyVersion: number; fingerprint: string };
  t.equal(result.memberId, social.memberId);
  t.equal(result.keyVersion, 2, 'new keys');
  t.not(result.fingerprint, social.fingerprint, 'with a new fingerprint');
  t.equal((await clsm('social', ['whoami'])).code, 4, 'the lost device can no longer act');
  t.equal((await clsm('social-new', ['login'])).code, 0);
  t.match(json(await clsm('social-new', ['whoami', '--json'])), { memberId: social.memberId });
});
