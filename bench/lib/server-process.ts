import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { childEnv } from './child-env.js';
import { compiledServerEntry } from './compiled-server.js';
import type { CreatedClsm, ServerReply, ServerRequest } from './server-protocol.js';

// Forks the server under test (bench/lib/server-main.ts, compiled: compiled-server.ts) so that the
// load generator never shares its event loop or its CPU time accounting. Its logs go to a file, as
// a production server's would.

/**
 * Node 20's V8 (11.3) aborts the process ("Fatal error ... unreachable code" in
 * Deoptimizer::DoComputeBuiltinContinuation) when optimised code that inlined a call into
 * WebAssembly (Cedar's statefulIsAuthorized, reached from authorize) is lazily deoptimised while
 * that call runs: after about 2,000 writes under load. Not inlining JS-to-Wasm calls avoids it;
 * docs/performance.md explains it and what the server itself needs.
 */
export const SERVER_NODE_FLAGS = ['--no-turbo-inline-js-wasm-calls'];

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface ServerUnderTest {
  pid: number;
  apiUrl: string;
  bareUrl: string;
  createClsm(name: string): Promise<CreatedClsm>;
  stop(): Promise<void>;
}

/** Settings of the benchmarked server that differ from `npm start`'s defaults, and why. */
export const BENCH_SERVER_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  STATS_PORT: '0',
  // All load comes from one address: the per-address limits would answer 429 after a few hundred.
  RATE_LIMIT_MAX: '1000000000',
  AUTH_RATE_LIMIT_MAX: '1000000000',
  // Long enough for every run; the token's lifetime does not change what verifying it costs.
  TOKEN_TTL_SECONDS: '7200',
  LOG_LEVEL: 'info',
};

export async function startServer(dbEnv: Record<string, string>, logFile: string): Promise<ServerUnderTest> {
  const entry = await compiledServerEntry();
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = fork(entry, [], {
      cwd: PROJECT_ROOT,
      execArgv: SERVER_NODE_FLAGS,
      env: childEnv({ ...BENCH_SERVER_ENV, ...dbEnv }),
      stdio: ['ignore', log, log, 'ipc'],
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<{ apiUrl: string; bareUrl: string }>((resolve, reject) => {
    child.on('message', (message: ServerReply) => {
      if (message.type === 'ready') resolve(message);
      else {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(`server: ${message.error}`));
      }
    });
    void exited.then((code) => {
      reject(new Error(`the server under test exited (${code}) before it was ready: see ${logFile}`));
      for (const waiter of pending.values()) waiter.reject(new Error('the server under test exited'));
    });
  });
  const call = (request: WithoutId<ServerRequest>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  const urls = await ready;
  return {
    pid: child.pid ?? 0,
    ...urls,
    createClsm: async (name) => (await call({ type: 'create-clsm', name })) as CreatedClsm,
    stop: async () => {
      if (child.connected) await call({ type: 'stop' });
      await exited;
    },
  };
}
