import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../src/cli/args.js';
import { statsApprove, statsRelease, statsServerUrl, statsShow } from '../../src/cli/commands/stats.js';
import { createOutput } from '../../src/cli/output.js';
import { saveNewProfile } from '../../src/cli/profile.js';
import { startTestApp } from '../helpers/app.js';
import { addMember, listen, newClsm, type TestMember } from '../helpers/members.js';
import { person, refer, startStatsApp } from '../helpers/stats.js';

// `clsm stats release`, `clsm stats approve` and `clsm stats show`, with real profiles, over real HTTP
// to both servers.

const ta = await startTestApp(t);
const stats = await startStatsApp(t, ta);
const apiUrl = await listen(ta.app);
const statsUrl = await listen(stats);
const { coordinator } = await newClsm(ta);
const worker = await addMember(ta, coordinator, 'social_worker');
const reader = await addMember(ta, coordinator, 'stats_reader');
const home = await mkdtemp(path.join(os.tmpdir(), 'clsm-cli-stats-'));
t.teardown(() => rm(home, { recursive: true, force: true }));
const passphraseFile = path.join(home, 'passphrase');
await writeFile(passphraseFile, 'correct horse battery staple\n');

async function profileOf(member: TestMember): Promise<string[]> {
  const dir = path.join(home, member.id);
  await saveNewProfile(
    dir,
    { server: apiUrl, tenantId: member.clsmId, memberId: member.id, role: member.role },
    member.keys,
    'correct horse battery staple',
  );
  return ['--profile', dir, '--passphrase-file', passphraseFile];
}

/** Runs a command handler with its stdout and stderr captured. */
async function run(
  handler: typeof statsShow,
  argv: string[],
  json = false,
): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errors: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  err.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await handler(json ? [...argv, '--json'] : argv, createOutput(json, out, err));
  return { code, out: chunks.join(''), err: errors.join('') };
}

ta.clock.set(new Date('2025-06-02T09:00:00Z'));
const cases: string[] = [];
for (let i = 0; i < 12; i++) cases.push(await refer(ta, worker, person()));
ta.clock.set(new Date('2026-01-06T09:00:00Z'));
const asCoordinator = await profileOf(coordinator);
const asReader = [...(await profileOf(reader)), '--stats-server', statsUrl];

t.test('the statistics server defaults to the API address on port 3001', (t) => {
  t.equal(statsServerUrl(parse([]), 'http://clsm.example:3000', {}), 'http://clsm.example:3001/');
  t.equal(
    statsServerUrl(parse([]), 'http://clsm.example:3000', { CLSM_STATS_SERVER: 'https://stats.example' }),
    'https://stats.example',
  );
  t.equal(
    statsServerUrl(
      parse(['--stats-server', 'http://x:9'], { 'stats-server': { type: 'string' } }),
      'http://clsm.example:3000',
      {
        CLSM_STATS_SERVER: 'https://stats.example',
      },
    ),
    'http://x:9',
  );
  t.end();
});

t.test('release, then show the bilan, a table and its CSV', async (t) => {
  const released = await run(statsRelease, ['2025', ...asCoordinator]);
  t.equal(released.code, 0);
  t.match(released.err, /Building the 2025 bilan/, 'progress on stderr');
  t.match(released.out, /Bilan 2025 released and frozen/);
  const hash = /SHA-256 ([0-9a-f]{64})/.exec(released.out)?.[1];
  t.ok(hash);

  const bilan = await run(statsShow, ['2025', ...asReader], true);
  t.equal(bilan.code, 0);
  t.equal(JSON.parse(bilan.out).contentHash, hash, 'the bytes read are those released');
  const human = await run(statsShow, ['2025', ...asReader]);
  t.match(human.out, /saisines_sexe\s+published\s+Sexe/);

  const table = await run(statsShow, ['2025', 'saisines_age', ...asReader]);
  t.match(table.out, /De 45 à 64 ans\s+10/);
  t.match(table.out, /Total\s+12/);
  const csv = await run(statsShow, ['2025', 'saisines_age', '--csv', ...asReader], true);
  t.match(JSON.parse(csv.out).csv, /^key,label,value\r\n/);
});

t.test('refusals come back with their stable code', async (t) => {
  await t.rejects(run(statsRelease, ['2025', ...asCoordinator]), { code: 'RELEASE_EXISTS' });
  await t.rejects(run(statsShow, ['2024', ...asReader]), { code: 'NOT_FOUND' });
  await t.rejects(run(statsRelease, ['last-year', ...asCoordinator]), { code: 'USAGE' });
  await t.rejects(run(statsShow, ['2025', '--csv', ...asReader]), { code: 'USAGE' });
});

t.test('a release that waits for a second person, approved by the DPO', async (t) => {
  // Twelve situations described again this week: the release of 2024 needs a second person.
  for (const id of cases) {
    const res = await ta.app.inject({
      method: 'PUT',
      url: `/v1/cases/${id}/statistics`,
      headers: worker.headers,
      payload: person({ household: 'couple_sans_enfant' }),
    });
    t.equal(res.statusCode, 204);
  }
  const asked = await run(statsRelease, ['2024', ...asCoordinator]);
  t.equal(asked.code, 0);
  t.match(
    asked.out,
    /Bilan 2024 not released yet: 12 situations were described or changed in the last 30 days/,
  );
  t.match(asked.out, /clsm stats approve 2024/);
  await t.rejects(
    run(statsApprove, ['2024', ...asCoordinator]),
    { code: 'FORBIDDEN' },
    'not by the one who asked',
  );
  const dpo = await addMember(ta, coordinator, 'dpo');
  const approved = await run(statsApprove, ['2024', ...(await profileOf(dpo))]);
  t.equal(approved.code, 0);
  t.match(approved.out, /Bilan 2024 released and frozen/);
});
