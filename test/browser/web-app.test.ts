import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { buildWebIfStale } from '../../scripts/build-web.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { mustNotLeak, startTestApp } from '../helpers/app.js';
import { tablesHolding } from '../helpers/db-scan.js';
import { asOwner } from '../helpers/owner.js';
import { listen } from '../helpers/members.js';

// The web app in a real browser (Debian's Chromium, driven by Playwright; test/browser/*.spec.ts)
// against the real server and database; then what was typed in the browser is looked for in every
// table. CI installs Chromium and requires these tests; elsewhere they are skipped without it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MARKER = `CLSM-PLAINTEXT-MARKER-web Mme Exemple refuse d'ouvrir sa porte ${process.pid}`;
mustNotLeak(MARKER);

function playwright(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cli = path.join(PROJECT_ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  const child = spawn(
    process.execPath,
    [cli, 'test', '--config', path.join(PROJECT_ROOT, 'playwright.config.ts')],
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

t.test(
  'in Chromium: enrollment, charte, referral, an entry read back decrypted; nothing typed reaches the database',
  {
    skip:
      !existsSync(CHROMIUM) && process.env.BROWSER_TESTS !== 'required' ? `no browser at ${CHROMIUM}` : false,
  },
  async (t) => {
    buildWebIfStale({ quiet: true });
    const ta = await startTestApp(t, { env: { WEB_ROOT: path.join(PROJECT_ROOT, 'web', 'dist') } });
    const url = await listen(ta.app);
    const created = await createTenant(ta.ctx.db, 'CLSM du navigateur', ta.ctx.charters);
    mustNotLeak(created.coordinatorCode);
    const run = await playwright({
      CLSM_WEB_URL: url,
      CLSM_ENROLL_CODE: created.coordinatorCode,
      CLSM_MARKER: MARKER,
    });
    t.equal(run.code, 0, run.code === 0 ? 'the browser scenario passed' : run.output);
    t.same(await tablesHolding(ta.db, MARKER), [], 'no table holds the text typed in the browser');
    const backups = await asOwner(ta.db, (o) =>
      o.selectFrom('member_key_backups').select('member_id').execute(),
    );
    t.equal(backups.length, 1, 'the key backup made at enrollment reached the server');
  },
);
