import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import t from 'tap';
import { buildWebIfStale } from '../../scripts/build-web.js';
import { checkpointClsm, toCheckpointFile } from '../../src/audit/checkpoints.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { checkpointMessage } from '../../src/crypto/messages.js';
import { signEd25519 } from '../../src/util/server-ed25519.js';
import { scratchDir } from '../helpers/paths.js';
import { createClsm } from '../../src/clsms/clsms.js';
import type { CharterText } from '../../src/charter/texts.js';
import type { Role } from '../../src/kernel/roles.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { mustNotLeak, startTestApp, type TestApp } from '../helpers/app.js';
import { tablesHolding } from '../helpers/db-scan.js';
import { asOwner } from '../helpers/owner.js';
import { certifyWithSas, newcomerSasOver } from '../helpers/directory.js';
import { addMember, invite, listen, newClsm, type TestMember } from '../helpers/members.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';
import { person, refer } from '../helpers/stats.js';
import { buildStatsApp } from '../../src/stats/server/app.js';

// The web app in a real browser (Debian's Chromium, driven by Playwright; test/browser/*.spec.ts)
// against the real server and database, each spec on a CLSM of its own; then what was typed in the
// browser is looked for in every table. CI installs Chromium and requires these tests; elsewhere
// they are skipped without it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function playwright(
  spec: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const cli = path.join(PROJECT_ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  const child = spawn(
    NODE,
    nodeArgs([cli, 'test', '--config', path.join(PROJECT_ROOT, 'playwright.config.ts'), spec]),
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ code, output });
    }),
  );
}

/** Plaintext markers a spec types; none may reach a log line or a table. */
function markers(names: string[]): Record<string, string> {
  const out = Object.fromEntries(
    names.map((n) => [
      n,
      `CLSM-PLAINTEXT-MARKER-web-${n} Mme Exemple refuse d'ouvrir sa porte ${process.pid}`,
    ]),
  );
  mustNotLeak(...Object.values(out));
  return out;
}

async function backupsOf(ta: TestApp, clsmId: string): Promise<number> {
  const rows = await asOwner(ta.db, (o) =>
    o.selectFrom('member_key_backups').select('member_id').where('clsm_id', '=', clsmId).execute(),
  );
  return rows.length;
}

/**
 * Enrollment codes for colleagues, made by the device of the CLSM's first coordinator (enrolled
 * outside the browser), and a certifier standing in for her: once a colleague's browser has
 * enrolled, it checks the short string over the keys the server registered, as her device does
 * with the one read out to her, and signs the certificate.
 */
async function invitations(
  ta: TestApp,
  people: {
    env: string;
    role: Role;
    organisation: string;
    displayName: string;
    partnerCategory?: string;
  }[],
): Promise<{
  clsmId: string;
  coordinator: TestMember;
  codes: Record<string, string>;
  ids: Record<string, string>;
  certifier: Certifier;
}> {
  const { clsmId, coordinator } = await newClsm(ta, 'CLSM du cercle');
  const codes: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const waiting = new Map<string, Uint8Array>();
  for (const { env, ...card } of people) {
    const invitation = await invite(ta.app, coordinator, card);
    codes[env] = invitation.code;
    ids[env] = invitation.memberId;
    waiting.set(invitation.memberId, invitation.secret);
  }
  return { clsmId, coordinator, codes, ids, certifier: certifier(ta, coordinator, waiting) };
}

interface Certifier {
  stop(): Promise<number>;
}

function certifier(ta: TestApp, coordinator: TestMember, waiting: Map<string, Uint8Array>): Certifier {
  const state = { running: true, certified: 0 };
  const loop = (async () => {
    while (state.running && waiting.size > 0) {
      for (const [memberId, secret] of waiting) {
        const keys = await ta.ctx.db
          .selectFrom('member_keys')
          .select(['sign_public_key', 'box_public_key'])
          .where('member_id', '=', memberId)
          .executeTakeFirst();
        if (keys === undefined) continue;
        const sas = await newcomerSasOver(secret, coordinator.clsmId, memberId, keys);
        const res = await certifyWithSas(ta.app, coordinator, memberId, sas);
        if (res.statusCode !== 201) throw new Error(`certify failed: ${res.statusCode} ${res.body}`);
        waiting.delete(memberId);
        state.certified += 1;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      return state.certified;
    },
  };
}

/**
 * A checkpoint file, signed with the service's key, that vouches for an event far beyond the log's
 * end: what a DPO holds once whoever owns the database has cut the log's tail below it.
 */
async function checkpointBeyondTheLog(ta: TestApp, clsmId: string): Promise<string> {
  const signer = ta.ctx.auditSigner;
  const seq = 100_000;
  const hash = randomBytes(32);
  const signedAt = new Date();
  const signature = signEd25519(signer.privateKey, checkpointMessage(clsmId, seq, hash, signedAt.getTime()));
  const file = toCheckpointFile(clsmId, signer, [
    { clsmId, seq, hash, signedAt, keyId: signer.keyId, signature },
  ]);
  const target = path.join(await scratchDir('checkpoints'), 'points-de-controle-anterieurs.json');
  await writeFile(target, JSON.stringify(file));
  return target;
}

/** A port free now, for the statistics server, whose address the app's policy must name first. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const COORDINATOR = {
  env: 'CLSM_CODE_COORDINATOR',
  role: 'coordinator',
  organisation: 'CLSM',
  displayName: 'Camille Coordination',
} as const;
const NURSE = {
  env: 'CLSM_CODE_NURSE',
  role: 'health_professional',
  organisation: 'CMP secteur 3',
  displayName: 'Inès Infirmière',
} as const;

const SOCIAL_WORKER = {
  env: 'CLSM_CODE_SOCIAL',
  role: 'social_worker',
  organisation: 'CCAS',
  displayName: 'Sacha Social',
} as const;
const LANDLORD = {
  env: 'CLSM_CODE_LANDLORD',
  role: 'partner',
  organisation: 'Office HLM',
  displayName: 'Lou Bailleur',
  partnerCategory: 'bailleur',
} as const;

// Four browser scenarios, each a real Chromium with several contexts: some three minutes alone on
// two cores, past tap's five-minute default on a machine busy with the rest of the suite.
t.setTimeout(20 * 60_000);

t.test(
  'in Chromium, against the real server; nothing typed reaches the database',
  {
    skip:
      !existsSync(CHROMIUM) && process.env.BROWSER_TESTS !== 'required' ? `no browser at ${CHROMIUM}` : false,
  },
  async (t) => {
    buildWebIfStale({ quiet: true });
    const statsUrl = `http://127.0.0.1:${await freePort()}`;
    const ta = await startTestApp(t, {
      env: {
        WEB_ROOT: path.join(PROJECT_ROOT, 'web', 'dist'),
        STATS_PUBLIC_URL: statsUrl,
        // Every release waits for a second person: the bilan's spec shows the approval.
        STATS_APPROVAL_THRESHOLD: '0',
      },
    });
    const url = await listen(ta.app);
    const stats = await buildStatsApp(ta.ctx);
    await stats.listen({ host: '127.0.0.1', port: Number(new URL(statsUrl).port) });
    t.teardown(() => stats.close());

    await t.test('enrollment, charte, referral, an entry read back decrypted', async (t) => {
      const { entry } = markers(['entry']);
      const created = await createClsm(ta.ctx.db, 'CLSM du navigateur', ta.ctx.charters);
      mustNotLeak(created.coordinatorCode);
      const run = await playwright('main-flow.spec.ts', {
        CLSM_WEB_URL: url,
        CLSM_ENROLL_CODE: created.coordinatorCode,
        CLSM_MARKER: entry ?? '',
      });
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
      t.same(await tablesHolding(ta.db, entry ?? ''), [], 'no table holds the text typed in the browser');
      t.equal(await backupsOf(ta, created.clsmId), 1, 'the key backup made at enrollment reached the server');
    });

    await t.test('the cercle, consent given then withdrawn, a removal and its rotation', async (t) => {
      const typed = markers(['circle-entry', 'justification', 'action', 'evidence']);
      const { clsmId, codes, ids, certifier } = await invitations(ta, [
        COORDINATOR,
        NURSE,
        SOCIAL_WORKER,
        { env: 'CLSM_CODE_SEED', role: 'coordinator', organisation: 'CLSM', displayName: 'Dominique Séance' },
        LANDLORD,
      ]);
      const run = await playwright('circle-consent.spec.ts', {
        CLSM_WEB_URL: url,
        ...codes,
        CLSM_MARKER: typed['circle-entry'] ?? '',
        CLSM_JUSTIFICATION: typed.justification ?? '',
        CLSM_ACTION: typed.action ?? '',
        CLSM_EVIDENCE: typed.evidence ?? '',
        CLSM_NURSE_ID: ids.CLSM_CODE_NURSE ?? '',
      });
      t.equal(await certifier.stop(), 5, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
      for (const [name, text] of Object.entries(typed))
        t.same(await tablesHolding(ta.db, text), [], `no table holds the ${name} typed in the browser`);
      t.equal(
        await backupsOf(ta, clsmId),
        4,
        'each browser enrollment sent its key backup (the script keeps none)',
      );
    });

    await t.test('a sitting: agenda, minutes, decisions, actions, closed; a masked item', async (t) => {
      const typed = markers(['minutes', 'sitting-action', 'correction']);
      const { codes, certifier } = await invitations(ta, [COORDINATOR, NURSE, SOCIAL_WORKER, LANDLORD]);
      const run = await playwright('sitting.spec.ts', {
        CLSM_WEB_URL: url,
        ...codes,
        CLSM_MINUTES: typed.minutes ?? '',
        CLSM_ACTION: typed['sitting-action'] ?? '',
        CLSM_CORRECTION: typed.correction ?? '',
      });
      t.equal(await certifier.stop(), 4, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
      for (const [name, text] of Object.entries(typed))
        t.same(await tablesHolding(ta.db, text), [], `no table holds the ${name} typed in the browser`);
    });

    await t.test(
      'the person’s own space: a decision answered, the landlord’s access taken away',
      async (t) => {
        const typed = markers(['person-entry', 'person-after', 'person-words']);
        const { codes, ids, certifier } = await invitations(ta, [
          NURSE,
          LANDLORD,
          {
            env: 'CLSM_CODE_SEED',
            role: 'coordinator',
            organisation: 'CLSM',
            displayName: 'Camille Coordination',
          },
        ]);
        const run = await playwright('person.spec.ts', {
          CLSM_WEB_URL: url,
          ...codes,
          CLSM_MARKER: typed['person-entry'] ?? '',
          CLSM_AFTER: typed['person-after'] ?? '',
          CLSM_WORDS: typed['person-words'] ?? '',
          CLSM_NURSE_ID: ids.CLSM_CODE_NURSE ?? '',
          CLSM_LANDLORD_ID: ids.CLSM_CODE_LANDLORD ?? '',
        });
        t.equal(await certifier.stop(), 3, 'each colleague enrolled was certified');
        t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
        for (const [name, text] of Object.entries(typed))
          t.same(await tablesHolding(ta.db, text), [], `no table holds the ${name} typed in the browser`);
      },
    );

    await t.test('an addition that waits for a second participant, approved in the cercle', async (t) => {
      const { codes, certifier } = await invitations(ta, [COORDINATOR, NURSE]);
      const run = await playwright('circle-requests.spec.ts', { CLSM_WEB_URL: url, ...codes });
      t.equal(await certifier.stop(), 2, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
    });

    await t.test('the DPO: an access report found by reference, the audit log checked', async (t) => {
      const { clsmId, codes, certifier } = await invitations(ta, [
        NURSE,
        { env: 'CLSM_CODE_DPO', role: 'dpo', organisation: 'CLSM', displayName: 'Dominique Données' },
      ]);
      // A checkpoint already signed, as the periodic job would have: the one the DPO downloads.
      await checkpointClsm(ta.ctx.db, ta.ctx.auditSigner, clsmId);
      const run = await playwright('dpo.spec.ts', {
        CLSM_WEB_URL: url,
        ...codes,
        CLSM_CUT_FILE: await checkpointBeyondTheLog(ta, clsmId),
      });
      t.equal(await certifier.stop(), 2, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
    });

    await t.test(
      'a plan written, read by another member and printed; the access report printed',
      async (t) => {
        const { plan } = markers(['plan']);
        const { codes, certifier } = await invitations(ta, [COORDINATOR, NURSE]);
        const run = await playwright('plan.spec.ts', {
          CLSM_WEB_URL: url,
          ...codes,
          CLSM_PLAN_WISHES: plan ?? '',
        });
        t.equal(await certifier.stop(), 2, 'each colleague enrolled in the browser was certified');
        t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
        t.same(await tablesHolding(ta.db, plan ?? ''), [], 'no table holds the wishes typed in the plan');
      },
    );

    await t.test('a lost device replaced with a recovery code, its new keys certified', async (t) => {
      const { clsmId, codes, ids, certifier } = await invitations(ta, [COORDINATOR, NURSE]);
      const run = await playwright('recovery.spec.ts', { CLSM_WEB_URL: url, ...codes });
      t.equal(await certifier.stop(), 2, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
      const backup = await asOwner(ta.db, (o) =>
        o
          .selectFrom('member_key_backups')
          .select('key_version')
          .where('clsm_id', '=', clsmId)
          .where('member_id', '=', ids.CLSM_CODE_NURSE ?? '')
          .executeTakeFirst(),
      );
      t.equal(backup?.key_version, 2, 'the backup now holds the recovered device’s keys');
    });

    await t.test('the coordination: an invitation as a QR code, a suspension, a new charte', async (t) => {
      const { clsmId, codes, ids, certifier } = await invitations(ta, [COORDINATOR, NURSE]);
      // The next version of the charte, shipped after this CLSM was created (an operator's v2.md);
      // withdrawn afterwards, so that the CLSMs of the other scenarios start with version 1.
      const charters = ta.ctx.charters as CharterText[];
      const text = `${charters[0]?.text ?? ''}\n\nVersion 2 : un article de plus.\n`;
      charters.push({ version: 2, text, sha256: createHash('sha256').update(text).digest() });
      const run = await playwright('coordinator.spec.ts', { CLSM_WEB_URL: url, ...codes }).finally(() =>
        charters.pop(),
      );
      t.equal(await certifier.stop(), 2, 'each colleague enrolled in the browser was certified');
      t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
      await eventsSealed(ta.ctx.db);
      const events = await ta.ctx.db
        .selectFrom('audit_events')
        .select(['type', 'outcome', 'reason'])
        .where('clsm_id', '=', clsmId)
        .where((eb) =>
          eb.or([
            eb('subject_id', '=', ids.CLSM_CODE_NURSE ?? ''),
            eb('actor_id', '=', ids.CLSM_CODE_NURSE ?? ''),
          ]),
        )
        .where('type', 'in', ['member.suspended', 'member.reinstated', 'auth.token_refused'])
        .orderBy('seq')
        .execute();
      t.match(
        events,
        [
          { type: 'member.suspended', outcome: 'success' },
          { type: 'auth.token_refused', outcome: 'denied', reason: /SUSPENDED|REVOKED/ },
          { type: 'member.reinstated', outcome: 'success' },
        ],
        'the signed suspension, the suspended nurse refused, her access restored: all in the audit log',
      );
    });

    await t.test(
      'the bilan released with the DPO’s approval, read by an elected official and the ARS',
      async (t) => {
        const { clsmId, coordinator, codes, certifier } = await invitations(ta, [
          COORDINATOR,
          { env: 'CLSM_CODE_DPO', role: 'dpo', organisation: 'CLSM', displayName: 'Dominique DPO' },
          {
            env: 'CLSM_CODE_OFFICIAL',
            role: 'elected_official',
            organisation: 'Mairie',
            displayName: 'Élise Élue',
          },
          { env: 'CLSM_CODE_READER', role: 'stats_reader', organisation: 'ARS', displayName: 'Ariane ARS' },
        ]);
        // Last year's situations, described at referral: 19 by a landlord, 6 by psychiatry, 5 by a
        // physician. The bilan shows the first (rounded) and hides the two others (n.d.).
        const now = ta.clock.now();
        const year = now.getUTCFullYear() - 1;
        ta.clock.set(new Date(Date.UTC(year, 2, 15, 10)));
        const situations: string[] = [];
        for (const [source, count] of [
          ['bailleur', 19],
          ['psychiatrie', 6],
          ['medecin', 5],
        ] as const)
          for (let i = 0; i < count; i++) situations.push(await refer(ta, coordinator, person({ source })));
        ta.clock.set(now);

        const run = await playwright('bilan.spec.ts', {
          CLSM_WEB_URL: url,
          ...codes,
          CLSM_SITUATION_ID: situations[0] ?? '',
        });
        t.equal(await certifier.stop(), 4, 'each colleague enrolled in the browser was certified');
        t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);

        // What the app does not offer an elected official, the server refuses: the situation is not
        // found, the list refused; the released bilan is hers to read.
        const official = await addMember(ta, coordinator, 'elected_official');
        const situation = await ta.app.inject({
          method: 'GET',
          url: `/v1/cases/${situations[0] ?? ''}`,
          headers: official.headers,
        });
        t.equal(situation.statusCode, 404, 'a situation is not found for an elected official');
        const list = await ta.app.inject({ method: 'GET', url: '/v1/cases', headers: official.headers });
        t.equal(list.statusCode, 403, 'the file active is refused');
        const bilan = await fetch(`${statsUrl}/v1/stats/${clsmId}/${year}`, { headers: official.headers });
        t.equal(bilan.status, 200, 'the released bilan is readable');
      },
    );
  },
);
