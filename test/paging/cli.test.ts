import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApp } from '../helpers/app.js';
import { addMember, invite, listen, newClsm, sdkFor } from '../helpers/members.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// The clsm command lists across pages: with a byte budget of one byte every page holds one item,
// and the command still prints the whole list.

const ta = await startTestApp(t, { env: { PAGE_MAX_BYTES: '1' } });
const url = await listen(ta.app);
const root = await mkdtemp(path.join(os.tmpdir(), 'clsm-paging-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

function clsm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      nodeArgs([path.join(PROJECT_ROOT, 'bin', 'clsm.js'), ...args]),
      {
        cwd: root,
        env: {
          ...process.env,
          CLSM_PROFILE: path.join(root, 'coordinator'),
          CLSM_PASSPHRASE: 'une phrase de passe pour les pages',
          CLSM_SERVER: url,
        },
      },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr });
      },
    );
  });
}

t.test('case list and member list return every item across one-item pages', async (t) => {
  // The CLSM, its members and its situations are made in process; only the lists go through the command.
  const { coordinator } = await newClsm(ta);
  const nurse = await addMember(ta, coordinator, 'health_professional');
  const ids: string[] = [];
  for (const reason of ['rupture_soins', 'incurie', 'menace_expulsion'])
    ids.push((await sdkFor(url, nurse).cases.refer(reason, 'soon')).id);
  const invited = await invite(ta.app, coordinator, {
    role: 'coordinator',
    organisation: 'CLSM',
    displayName: 'Coordination',
  });
  t.equal((await clsm(['enroll', '--code', invited.code])).code, 0);
  t.equal((await clsm(['charter', 'accept'])).code, 0);
  const cases = JSON.parse((await clsm(['case', 'list', '--json'])).stdout) as { id: string }[];
  t.same(cases.map((c) => c.id).sort(), [...ids].sort(), 'three situations');
  const members = JSON.parse((await clsm(['member', 'list', '--json'])).stdout) as unknown[];
  t.equal(members.length, 3, 'both coordinators and the nurse');
});
