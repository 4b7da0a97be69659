import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { RUN_ROOT } from './paths.js';

// The adversarial and fault tests' summary of the run: requests sent, bad-input classes tried,
// faults injected, acknowledged writes lost, chain verdicts. Each file adds its part when it ends
// and prints the totals so far; the last of them to end prints the totals of the whole run (it
// says so: "n of n files").

export interface SummaryPart {
  requests?: number;
  classes?: readonly string[];
  faults?: readonly string[];
  /** Writes that were acknowledged (2xx) and are not in the database afterwards. */
  lost?: number;
  /** One verdict per verified chain, e.g. "CLSM 1234…: 1000 events, ok". */
  chains?: readonly string[];
}

const DIR = path.join(RUN_ROOT, 'adversarial-summary');
const SUITES = ['test/adversarial', 'test/faults'];

/** The test files that report a part: those that call this module's `summarize`. */
async function reporters(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of SUITES) {
    for (const name of await readdir(path.join(PROJECT_ROOT, dir))) {
      if (!name.endsWith('.test.ts')) continue;
      const text = await readFile(path.join(PROJECT_ROOT, dir, name), 'utf8');
      if (text.includes('summarize(')) files.push(name);
    }
  }
  return files;
}

/** Records this file's part and prints the run's totals so far. */
export async function summarize(
  t: { comment(message: string): void },
  fileUrl: string,
  part: SummaryPart,
): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const name = path.basename(fileURLToPath(fileUrl));
  await writeFile(path.join(DIR, `${name}.json`), JSON.stringify(part));
  const parts = await Promise.all(
    (await readdir(DIR)).map(
      async (f) => JSON.parse(await readFile(path.join(DIR, f), 'utf8')) as SummaryPart,
    ),
  );
  const expected = await reporters();
  const sum = (pick: (p: SummaryPart) => number | undefined) => parts.reduce((n, p) => n + (pick(p) ?? 0), 0);
  const all = (pick: (p: SummaryPart) => readonly string[] | undefined) =>
    parts.flatMap((p) => pick(p) ?? []);
  const chains = all((p) => p.chains);
  const failing = chains.filter((c) => !c.endsWith(' ok'));
  t.comment(
    [
      `adversarial summary (${parts.length} of ${expected.length} files):`,
      `${sum((p) => p.requests)} requests sent,`,
      `${new Set(all((p) => p.classes)).size} bad-input classes tried,`,
      `${all((p) => p.faults).length} faults injected,`,
      `${sum((p) => p.lost)} acknowledged writes lost,`,
      `${chains.length} chains verified (${failing.length === 0 ? 'all ok' : `FAILED: ${failing.join('; ')}`})`,
    ].join(' '),
  );
}
