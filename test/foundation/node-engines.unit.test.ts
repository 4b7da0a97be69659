import t from 'tap';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';

// The README and package.json promise a Node.js version; every package the lockfile installs must
// run on it, or `npm ci` warns EBADENGINE and the promise is false on a fresh install.
interface Semver {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
}
const semver = createRequire(import.meta.url)('semver') as Semver;

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(path.join(PROJECT_ROOT, file), 'utf8')) as T;
}

t.test('every locked package runs on the promised Node.js floor and on this Node.js', async (t) => {
  const pkg = await readJson<{ engines: { node: string } }>('package.json');
  const floor = semver.minVersion(pkg.engines.node)?.version;
  if (!floor) throw new Error(`package.json engines.node has no floor: ${pkg.engines.node}`);
  const lock = await readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json');
  const refusing: string[] = [];
  for (const [where, locked] of Object.entries(lock.packages)) {
    const range = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
    if (range === undefined) continue;
    for (const version of [floor, process.versions.node]) {
      if (!semver.satisfies(version, range))
        refusing.push(`${where}@${locked.version}: node ${range} excludes ${version}`);
    }
  }
  t.same(refusing, [], 'no locked package refuses the promised Node.js');
});

t.test('the README promises the Node.js floor that package.json declares', async (t) => {
  const pkg = await readJson<{ engines: { node: string } }>('package.json');
  const floor = semver.minVersion(pkg.engines.node)?.version ?? '';
  const [major, minor] = floor.split('.');
  const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  t.match(readme, `Node.js ${major}.${minor} or later`);
});
