import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';

// The layers of docs/architecture.md, seen from the imports: no folder of src/ imports another in
// a loop, and the statistics code reaches no situation domain, even through a third folder. The
// lint run checks each import on its own (eslint.config.js); only the whole graph shows these.
// `import type` is left out: it is erased before the code runs (verbatimModuleSyntax), and the
// two aggregate types, Database (src/db/schema.ts) and AppContext (src/context.ts), name every
// domain by design.

const SRC = path.join(PROJECT_ROOT, 'src');
const SITUATION_DOMAINS = [
  'cases',
  'case-log',
  'consent',
  'entries',
  'keys',
  'sittings',
  'unit-of-work',
  'access-report',
];

/** A folder of src/ by its name; a file at the top of src/, or outside it, by its own path. */
const unitOf = (file: string): string => {
  const [first, second] = path.relative(SRC, file).split(path.sep);
  return second === undefined || first === '..' ? path.relative(PROJECT_ROOT, file) : (first ?? '');
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** unit -> unit -> the first import that ties them, as "file -> specifier". */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  const runtimeImport =
    /^(?:import|export)\s+(type\s)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gms;
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(runtimeImport)) {
      const specifier = m[2] ?? m[3];
      if (m[1] !== undefined || specifier === undefined) continue;
      const from = unitOf(file);
      const to = unitOf(path.resolve(path.dirname(file), specifier));
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${path.relative(PROJECT_ROOT, file)} -> ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The shortest chain of imports from `from` to `to`, or undefined when there is none. */
function pathBetween(
  graph: Map<string, Map<string, string>>,
  from: string,
  to: string,
): string[] | undefined {
  const routes = new Map<string, string[]>([[from, []]]);
  const queue = [from];
  for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
    for (const [next, why] of graph.get(unit) ?? []) {
      if (routes.has(next)) continue;
      const route = [...(routes.get(unit) ?? []), why];
      if (next === to) return route;
      routes.set(next, route);
      queue.push(next);
    }
  }
  return undefined;
}

const graph = folderGraph();

t.test('no folder of src/ imports another in a loop', async (t) => {
  for (const [from, edges] of graph) {
    for (const [to, why] of edges) {
      t.equal(pathBetween(graph, to, from)?.join(', '), undefined, `${from} -> ${to} (${why}) is in no loop`);
    }
  }
});

t.test('the statistics code reaches no situation domain', async (t) => {
  for (const domain of SITUATION_DOMAINS) {
    t.equal(pathBetween(graph, 'stats', domain)?.join(', '), undefined, `stats does not reach ${domain}`);
  }
});

t.test('the walker sees the imports it judges', async (t) => {
  t.ok(graph.get('src/app.ts')?.has('cases'), 'src/app.ts imports src/cases');
  t.ok(graph.get('cases')?.has('kernel'), 'src/cases imports src/kernel');
  t.notOk(graph.get('kernel'), 'src/kernel imports nothing of the app');
});
