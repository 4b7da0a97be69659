import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { NODE, nodeArgs } from '../helpers/bare-node.js';

// The web app's component tests (web/test, Vitest in jsdom) as part of the suite: one assertion per
// component test, named as Vitest names it, so that a failure shows here with its message.

interface VitestReport {
  testResults: {
    name: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

const web = path.join(PROJECT_ROOT, 'web');
const out = await mkdtemp(path.join(os.tmpdir(), 'clsm-vitest-'));
t.teardown(() => rm(out, { recursive: true, force: true }));
const report = path.join(out, 'report.json');
const vitest = path.join(web, 'node_modules', 'vitest', 'vitest.mjs');

await new Promise<void>((resolve) => {
  execFile(
    NODE,
    nodeArgs([vitest, 'run', '--reporter=json', `--outputFile=${report}`]),
    { cwd: web, env: { ...process.env, NODE_OPTIONS: '' } },
    () => {
      resolve();
    },
  );
});

const results = JSON.parse(await readFile(report, 'utf8')) as VitestReport;
t.ok(results.testResults.length > 0, 'the component tests ran');
for (const file of results.testResults)
  for (const test of file.assertionResults)
    t.equal(test.status, 'passed', `${path.relative(web, file.name)}: ${test.fullName}`, {
      failures: test.failureMessages,
    });
