import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/util/paths.js';
import { runBench } from './lib/bench.js';
import { FULL, SMOKE } from './lib/profiles.js';
import { markdownTable, targetLines } from './lib/report.js';

// `npm run bench`: the cost of each protection, measured against its baseline in the same run.
// PostgreSQL when DATABASE_URL is set (a role that may create databases), PGlite otherwise.
//   npm run bench -- [--out bench/results.json] [--smoke] [--verify-events N] [--only web|http|audit]
// `--only web` runs the web app scenario alone, `--only http` the calibration and scenarios 1 and 2
// (the server under load), `--only audit` scenario 3 (the audit event's price); each writes a file
// only when --out names one: the results file records one whole run, not rows of different runs.

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    // PGlite generates and re-reads a long chain several times slower than PostgreSQL.
    'verify-events': { type: 'string' },
    only: { type: 'string' },
  },
});
const ONLY = ['web', 'http', 'audit'] as const;
const only = ONLY.find((o) => o === values.only);
if (values.only !== undefined && only === undefined)
  throw new Error(`--only: 'web', 'http', 'audit' or nothing`);
const out = values.out ?? (only === undefined ? path.join(PROJECT_ROOT, 'bench', 'results.json') : undefined);
const base = values.smoke ? SMOKE : FULL;
const profile =
  values['verify-events'] === undefined ? base : { ...base, verifyEvents: Number(values['verify-events']) };

const workDir = await mkdtemp(path.join(os.tmpdir(), 'clsm-bench-'));
const logFile = path.join(workDir, 'server.log');
const adminUrl = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;
const started = Date.now();
try {
  const results = await runBench({
    profile,
    adminUrl,
    workDir,
    logFile,
    ...(only === undefined ? {} : { only }),
    progress: (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`),
  });
  process.stdout.write(
    `\n${results.versions.database}, Node ${results.versions.node}, ${results.machine.cpus} × ${results.machine.cpuModel}, ` +
      `load average ${results.load.start} at the start, ${results.load.end} at the end\n\n` +
      `${markdownTable(results.scenarios)}\n\nTargets:\n${targetLines(results.targets)}\n`,
  );
  if (out !== undefined) {
    await writeFile(out, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), out)}\n`);
  }
} catch (err) {
  // The server's own account of a failure is in its log, which goes with the scratch directory.
  const log = await readFile(logFile, 'utf8').catch(() => '');
  process.stderr.write(`server log (last lines):\n${log.split('\n').slice(-15).join('\n')}\n`);
  throw err;
} finally {
  await rm(workDir, { recursive: true, force: true });
}
