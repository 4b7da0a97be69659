import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { newest } from '../bin/freshness.js';
import { PROJECT_ROOT } from '../src/util/paths.js';

// Builds the web app (web/ → web/dist) when it is missing or older than its sources: run by
// `npm ci` (prepare) and before `npm start` (prestart), so that one command serves the app. The
// app has its own dependencies (web/package.json): React 19 there does not meet the React 18
// that the test runner's reporter needs here.

const WEB = path.join(PROJECT_ROOT, 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(WEB, 'package-lock.json'),
  path.join(PROJECT_ROOT, 'src', 'client'),
  path.join(PROJECT_ROOT, 'src', 'crypto'),
];

function npm(args: string[], quiet: boolean): void {
  const result = spawnSync('npm', args, { cwd: WEB, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `npm ${args.join(' ')} failed in web/${quiet ? `:\n${result.stdout}${result.stderr}` : ''}`,
    );
}

/** `quiet` keeps npm's and Vite's output out of the caller's (a test's TAP stream). */
export function buildWebIfStale(options: { quiet?: boolean } = {}): 'built' | 'fresh' | 'no-sources' {
  const quiet = options.quiet ?? false;
  if (!existsSync(path.join(WEB, 'package.json'))) return 'no-sources';
  const installed = path.join(WEB, 'node_modules', '.package-lock.json');
  // `npm install`, not `npm ci`: Vite names an optional dependency that the registry does not serve
  // (napi-windows-process-start-time), so its lockfile cannot hold it and `npm ci` refuses the
  // lockfile; `npm install` skips the missing optional package and installs the locked versions.
  if (newest(installed) < newest(path.join(WEB, 'package-lock.json')))
    npm(['install', '--no-audit', '--no-fund'], quiet);
  if (newest(BUILT) >= Math.max(...SOURCES.map(newest))) return 'fresh';
  npm(['run', 'build'], quiet);
  return 'built';
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const outcome = buildWebIfStale();
  if (outcome === 'built') process.stdout.write('web app built in web/dist\n');
}
