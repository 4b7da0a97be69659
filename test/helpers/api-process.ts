import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { mustNotLeak } from './app.js';
import { LOG_DIR, scratchDir } from './paths.js';
import { NODE, nodeArgs } from './bare-node.js';

// The API as production runs it: `node bin/server.js` (npm start) in a process of its own, against PostgreSQL,
// with key files, that a test can kill. Its JSON log lines go where the suite's leak scan reads
// them; the first coordinator's enrollment code, read from the file it writes, is registered as a secret.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    server.on('error', reject);
  });
}

/** Ed25519 token and audit keys in PEM files, as an operator would make them. */
export async function keyFiles(): Promise<{ token: string; audit: string }> {
  const dir = await scratchDir('keys');
  const write = async (name: string) => {
    const file = path.join(dir, name);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await writeFile(file, pem, { mode: 0o600 });
    return file;
  };
  return { token: await write('token-signing.pem'), audit: await write('audit-signing.pem') };
}

export interface ApiProcess {
  url: string;
  pid: number;
  /** The one-time code this process wrote to its code file when it created the first CLSM. */
  enrollmentCode: string | undefined;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** The kernel's record of the largest resident set the process reached (VmHWM), in kB. */
  peakRssKb(): Promise<number>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

export interface ApiProcessOptions {
  urls: { app: string; stats: string };
  keys: { token: string; audit: string };
  env?: Record<string, string>;
}

export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const codeFile = path.join(await scratchDir('first-code'), 'first-coordinator-code.txt');
  const child: ChildProcess = spawn(NODE, nodeArgs(['bin/server.js']), {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.urls.app,
      STATS_DATABASE_URL: options.urls.stats,
      MIGRATE_DATABASE_URL: '',
      TOKEN_SIGNING_KEY_FILE: options.keys.token,
      AUDIT_SIGNING_KEY_FILE: options.keys.audit,
      PORT: String(port),
      STATS_PORT: String(statsPort),
      LOG_LEVEL: 'info',
      // The fault tests write from one address, far beyond what one client may do in production.
      RATE_LIMIT_MAX: '1000000',
      BOOTSTRAP_CODE_FILE: codeFile,
      AUDIT_WITNESS_FILE: path.join(path.dirname(codeFile), 'audit-witness.jsonl'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `api-${process.pid}-${randomBytes(4).toString('hex')}.log`);
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    const logLines = text.split('\n').filter((l) => l.startsWith('{'));
    if (logLines.length > 0) appendFileSync(logFile, logLines.join('\n') + '\n');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve(signal ?? String(code));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  for (let i = 0; i < 240 && !ready && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 250));
    ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  }
  if (!ready) {
    child.kill('SIGKILL');
    // Only the first line: the rest may hold what must not leak.
    throw new Error(`the API process did not become ready: ${output.split('\n')[0] ?? ''}`);
  }
  // Written before the server listens: present once it is ready, if this process created the CLSM.
  const codeText = await readFile(codeFile, 'utf8').catch(() => '');
  const enrollmentCode = /^\s{4}([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})$/m.exec(codeText)?.[1];
  if (enrollmentCode !== undefined) mustNotLeak(enrollmentCode);
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    enrollmentCode,
    exited,
    alive: () => running,
    peakRssKb: async () => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
    },
    kill: async (signal) => {
      if (running) child.kill(signal);
      return exited;
    },
  };
}
