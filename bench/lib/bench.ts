import path from 'node:path';
import { auditAppend } from '../scenarios/audit-append.js';
import { auditVerify } from '../scenarios/audit-verify.js';
import { authorization } from '../scenarios/authorization.js';
import { calibration } from '../scenarios/calibration.js';
import { clientCrypto } from '../scenarios/client-crypto.js';
import { caseLogVerify } from '../scenarios/case-log-verify.js';
import type { HttpBench } from '../scenarios/http-bench.js';
import { readPath } from '../scenarios/read-path.js';
import { startup } from '../scenarios/startup.js';
import { statsRelease } from '../scenarios/stats-release.js';
import { tokenVerification } from '../scenarios/token-verification.js';
import { webApp, webAppSkipReason } from '../scenarios/web-app.js';
import { writePath } from '../scenarios/write-path.js';
import { isLocalDatabase } from './cpu.js';
import { createBenchDatabase, type BenchDatabase, type DatabaseOptions } from './database.js';
import { prepareReadCase, prepareWriterClsm, type WriterClsm } from './fixtures.js';
import { loadAverage, machine, packageVersion, type Machine } from './machine.js';
import type { Profile } from './profiles.js';
import { startServer, type ServerUnderTest } from './server-process.js';
import { row, withRatios, type Row, type RowInput } from './summary.js';
import { evaluate, targetsFor, type TargetResult } from './targets.js';

// One benchmark run, start to end: its own database, the server under test in its own process,
// the data prepared through the SDK, the HTTP scenarios against that server, then the scenarios
// that run in processes of their own, and the database dropped whatever happened.

export interface BenchOptions {
  profile: Profile;
  /** PostgreSQL administrator (may create databases); PGlite without. */
  adminUrl: string | undefined;
  /** A scratch directory: keys, data directories, the server's log. */
  workDir: string;
  /** Where the server under test writes its log. */
  logFile: string;
  template?: DatabaseOptions['template'];
  progress?: (line: string) => void;
  /**
   * `web`: the web app scenario alone; `http`: the calibration and scenarios 1 and 2 alone (the
   * server under load); `audit`: scenario 3 alone; each on its own server and database.
   */
  only?: 'web' | 'http' | 'audit';
  /** Called with every bearer token made (the smoke test checks they never reach a log). */
  onTokens?: (tokens: string[]) => void;
}

export interface BenchResults {
  date: string;
  engine: 'postgres' | 'pglite';
  machine: Machine;
  versions: {
    node: string;
    database: string;
    pglite: string;
    cedar: string;
    libsodium: string;
    autocannon: string;
  };
  /** The machine's 1-minute load average when the run started and when it ended. */
  load: { start: number; end: number };
  runs: number;
  scenarios: Row[];
  targets: TargetResult[];
}

/** Scenario 3: the audit event's price in a transaction, on the prepared CLSMs. */
function auditScenario(
  access: BenchDatabase['access'],
  clsms: WriterClsm[],
  profile: Profile,
  say: (line: string) => void,
): Promise<RowInput[]> {
  say('3. audit append');
  return auditAppend({
    access,
    targets: clsms.map((t) => ({ clsmId: t.clsmId, caseId: t.caseId, authorId: t.writer.memberId })),
    clients: profile.audit.clients,
    spreadClients: profile.audit.spreadClients,
    seconds: profile.audit.seconds,
    runs: profile.runs,
  });
}

/** The scenarios that run without the API server: in this process or in processes of their own. */
async function offlineScenarios(
  access: BenchDatabase['access'],
  http: { clsms: WriterClsm[]; readCaseId: string },
  profile: Profile,
  options: BenchOptions,
  say: (line: string) => void,
): Promise<RowInput[]> {
  const { clsms } = http;
  const inputs: RowInput[] = [];
  inputs.push(...(await auditScenario(access, clsms, profile, say)));
  say('4. authorization');
  inputs.push(
    ...(await authorization({
      access,
      clsmId: clsms[0]?.clsmId ?? '',
      caseId: http.readCaseId,
      seconds: profile.cedarSeconds,
      runs: profile.runs,
    })),
  );
  say('5. client crypto');
  inputs.push(...(await clientCrypto({ seconds: profile.cryptoSeconds, runs: profile.runs })));
  inputs.push(...(await caseLogVerify({ seconds: profile.cryptoSeconds, runs: profile.runs })));
  say(`6. audit verify (${profile.verifyEvents.toLocaleString('en')} events)`);
  inputs.push(...(await auditVerify({ access, events: profile.verifyEvents, runs: profile.runs })));
  say('7. statistics release');
  inputs.push(...(await statsRelease({ facts: profile.releaseFacts, runs: profile.runs })));
  say('8. start-up');
  inputs.push(...(await startup({ runs: profile.runs, workDir: path.join(options.workDir) })));
  return inputs;
}

interface Prepared {
  clsms: WriterClsm[];
  first: Awaited<ReturnType<typeof prepareWriterClsm>>;
}

/** The CLSMs every scenario writes to, each with a case and its writers' sessions, through the SDK. */
async function prepareClsms(
  server: ServerUnderTest,
  profile: Profile,
  options: BenchOptions,
  say: (line: string) => void,
): Promise<Prepared> {
  const maxConnections = Math.max(...profile.http.connections, profile.http.probeConnections);
  say(`preparing ${profile.http.clsms} CLSMs through the SDK`);
  const clsms: WriterClsm[] = [];
  let first: Prepared['first'] | undefined;
  for (let i = 0; i < profile.http.clsms; i += 1) {
    const sessions = i === 0 ? maxConnections : Math.ceil(maxConnections / profile.http.clsms);
    const prepared = await prepareWriterClsm(server, i, sessions);
    first ??= prepared;
    clsms.push(prepared.clsm);
    options.onTokens?.(prepared.clsm.tokens);
  }
  if (first === undefined) throw new Error('no CLSM to benchmark');
  return { clsms, first };
}

/** The HTTP scenarios against the running server, and the data the later scenarios reuse. */
async function httpScenarios(
  server: ServerUnderTest,
  profile: Profile,
  options: BenchOptions,
  say: (line: string) => void,
  countDatabaseCpu: boolean,
): Promise<{ rows: RowInput[]; clsms: WriterClsm[]; readCaseId: string }> {
  const inputs: RowInput[] = [];
  const { clsms, first } = await prepareClsms(server, profile, options, say);
  const readCase = await prepareReadCase(
    server.apiUrl,
    first.coordinator,
    first.writer,
    profile.http.readEntries,
  );
  const bench: HttpBench = {
    server,
    clsms,
    readCase,
    options: {
      runs: profile.runs,
      runSeconds: profile.http.runSeconds,
      warmupSeconds: profile.http.warmupSeconds,
      serverPid: server.pid,
      countDatabaseCpu,
    },
  };
  say('0. calibration: the load generator against autocannon alone');
  inputs.push(...(await calibration(bench, profile.http.probeConnections)));
  say('1. write path');
  inputs.push(...(await writePath(bench, profile.http.connections)));
  say('1. token verification');
  inputs.push(...(await tokenVerification(bench, profile.http.probeConnections)));
  say('2. read path');
  inputs.push(...(await readPath(bench, profile.http.probeConnections)));
  const httpPeaks = inputs.map((r) => r.peakRssMb ?? 0).filter((mb) => mb > 0);
  inputs.push({
    id: 'api-rss',
    scenario: 1,
    name: 'API server RSS under load (peak of each HTTP configuration)',
    unit: 'MB',
    higherIsBetter: false,
    runs: httpPeaks,
  });
  return { rows: inputs, clsms, readCaseId: readCase.caseId };
}

async function webScenario(
  server: ServerUnderTest,
  profile: Profile,
  say: (line: string) => void,
): Promise<RowInput[]> {
  const skip = webAppSkipReason();
  if (skip !== undefined) {
    say(`9. web app: skipped, ${skip}`);
    return [];
  }
  say(`9. web app in Chromium (${profile.web.rounds} unlocks and opens, ${profile.web.entries} entries)`);
  return webApp(server, { ...profile.web, progress: say });
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const { profile } = options;
  const say = options.progress ?? (() => undefined);
  const loadAtStart = loadAverage();
  const db = await createBenchDatabase({
    workDir: options.workDir,
    adminUrl: options.adminUrl,
    ...(options.template === undefined ? {} : { template: options.template }),
  });
  say(`database: ${db.version}`);
  const inputs: RowInput[] = [];
  let server: ServerUnderTest | undefined;
  try {
    server = await startServer(db.serverEnv, options.logFile);
    if (options.only === 'audit') {
      const { clsms } = await prepareClsms(server, profile, options, say);
      await server.stop();
      server = undefined;
      inputs.push(...(await auditScenario(db.access, clsms, profile, say)));
    } else {
      const localDatabase = db.access.engine === 'postgres' && isLocalDatabase(db.access.ownerUrl);
      const http =
        options.only === 'web'
          ? undefined
          : await httpScenarios(server, profile, options, say, localDatabase);
      inputs.push(...(http?.rows ?? []));
      if (options.only !== 'http') inputs.push(...(await webScenario(server, profile, say)));
      await server.stop();
      server = undefined;
      if (http !== undefined && options.only === undefined)
        inputs.push(...(await offlineScenarios(db.access, http, profile, options, say)));
    }
  } finally {
    await server?.stop().catch(() => undefined);
    await db.drop();
  }
  const scenarios = withRatios(inputs.map(row)).sort((a, b) => a.scenario - b.scenario);
  return {
    date: new Date().toISOString(),
    load: { start: loadAtStart, end: loadAverage() },
    engine: db.access.engine,
    machine: machine(),
    versions: {
      node: process.version,
      database: db.version,
      pglite: packageVersion('@electric-sql/pglite'),
      cedar: packageVersion('@cedar-policy/cedar-wasm'),
      libsodium: packageVersion('libsodium-wrappers-sumo'),
      autocannon: packageVersion('autocannon'),
    },
    runs: profile.runs,
    scenarios,
    targets: evaluate(targetsFor(profile.http.clsms), scenarios),
  };
}
