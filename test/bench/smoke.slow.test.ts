import t from 'tap';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runBench } from '../../bench/lib/bench.js';
import { SMOKE } from '../../bench/lib/profiles.js';
import { isLocalDatabase } from '../../bench/lib/cpu.js';
import { webAppSkipReason } from '../../bench/scenarios/web-app.js';
import { mustNotLeak } from '../helpers/app.js';
import { LOG_DIR, scratchDir } from '../helpers/paths.js';
import { pgliteTemplateDir, postgresTemplateDb } from '../helpers/template.js';

// One short iteration of every benchmark scenario, on the suite's engine, so that `npm run bench`
// cannot rot: every request of every run must succeed (the benchmark fails on a single non-2xx),
// every scenario must report a number, and no token may reach the server's log or the results.
// No timing is asserted: this machine's timings say nothing in a test run.

t.test('every scenario runs once and reports', async (t) => {
  const workDir = await scratchDir('bench');
  await mkdir(LOG_DIR, { recursive: true });
  t.teardown(() => rm(workDir, { recursive: true, force: true }));
  const adminUrl = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;
  const tokens: string[] = [];
  const results = await runBench({
    profile: SMOKE,
    adminUrl,
    workDir,
    // The suite's last step scans this directory for every value passed to mustNotLeak.
    logFile: path.join(LOG_DIR, `bench-server-${process.pid}.log`),
    template:
      adminUrl === undefined
        ? { pgliteDir: await pgliteTemplateDir() }
        : { postgresDatabase: await postgresTemplateDb(adminUrl) },
    onTokens: (made) => {
      tokens.push(...made);
      mustNotLeak(...made);
    },
  });

  const web = webAppSkipReason();
  if (web !== undefined) t.comment(`web app scenario skipped: ${web}`);
  t.same(
    [...new Set(results.scenarios.map((s) => s.scenario))].sort((a, b) => a - b),
    web === undefined ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 1, 2, 3, 4, 5, 6, 7, 8],
    'the calibration and every scenario ran',
  );
  for (const s of results.scenarios) {
    t.ok(Number.isFinite(s.median) && s.median > 0, `${s.name}: ${s.median} ${s.unit}`);
    t.equal(s.runs.length > 0, true, `${s.name}: has runs`);
    if (s.baseline !== undefined) t.ok(Number.isFinite(s.ratio), `${s.name}: has a ratio to ${s.baseline}`);
  }
  const http = results.scenarios.filter((s) => s.unit === 'req/s');
  const local = adminUrl !== undefined && isLocalDatabase(adminUrl);
  t.ok(
    http.every((s) => s.serverCpuMs !== undefined && s.serverCpuMs >= 0),
    "every HTTP row reports the server's CPU time per request",
  );
  t.ok(
    http.every((s) => (s.databaseCpuMs !== undefined) === local),
    local ? "and PostgreSQL's, on this machine" : "and none for a database in the server's process",
  );
  t.ok(tokens.length > 0, 'members were logged in');
  const written = JSON.stringify(results);
  t.notOk(
    tokens.some((token) => written.includes(token)),
    'no token in the results',
  );
  t.equal(results.engine, adminUrl === undefined ? 'pglite' : 'postgres');
});
