import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import tap from 'tap';
import { kyselyOver, openPostgres } from '../../src/db/database.js';
import type { TestDatabase } from './database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { postgresPool } from '../../src/db/pools.js';

// A throwaway PostgreSQL cluster for fault injection: its own directory, its own random port,
// started and stopped (or killed) by the test, never the machine's shared server. initdb and
// pg_ctl refuse to run as root: as root they run as the `postgres` user.

const run = promisify(execFile);

/**
 * The newest PostgreSQL server binaries. A machine without them (Node.js alone) skips the file
 * that asked, saying why; CI sets FAULT_TESTS=required, which makes their absence a failure. The
 * cluster is the test's own whatever the suite's engine, so CI runs these files once: its second
 * run, on PGlite, sets FAULT_TESTS=skip.
 */
async function binDir(): Promise<string> {
  if (process.env.FAULT_TESTS === 'skip') {
    tap.plan(0, 'FAULT_TESTS=skip: CI runs the fault tests once, in its run on PostgreSQL');
    process.exit(0);
  }
  const base = '/usr/lib/postgresql';
  const versions = (await readdir(base).catch(() => [] as string[])).sort((a, b) => Number(b) - Number(a));
  const bin = versions.map((v) => path.join(base, v, 'bin')).find((d) => existsSync(path.join(d, 'initdb')));
  if (bin !== undefined) return bin;
  const reason = `no PostgreSQL server binaries (initdb) under ${base}: the fault tests need them`;
  if (process.env.FAULT_TESTS === 'required') throw new Error(reason);
  tap.plan(0, reason);
  process.exit(0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}

export interface Cluster {
  port: number;
  url(user: string): string;
  start(): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** SIGKILL to the postmaster: what a crash or an OOM killer does. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createCluster(): Promise<Cluster> {
  const bin = await binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clsm-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const data = path.join(dir, 'data');
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300`;
  const cluster: Cluster = {
    port,
    url: (user) => `postgres://${user}@127.0.0.1:${port}/clsm`,
    start: async () => {
      await as('pg_ctl', ['-D', data, '-o', options, '-w', '-t', '60', '-l', path.join(dir, 'log'), 'start']);
    },
    stop: async (mode = 'fast') => {
      await as('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    kill: async () => {
      const pid = Number((await readFile(path.join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      // The postmaster is gone; its backends notice and exit. Wait until the port is free.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 500));
      await rm(path.join(data, 'postmaster.pid'), { force: true });
    },
    destroy: async () => {
      await cluster.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE ROLE clsm_app LOGIN');
  await admin.query('CREATE ROLE clsm_stats LOGIN');
  await admin.query(`CREATE DATABASE clsm ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const owner = kyselyOver<unknown>(postgresPool(cluster.url('postgres'), 1));
  await migrateToLatest(owner);
  await owner.destroy();
  return cluster;
}

/** The cluster as a test database: the API and statistics roles, pools that survive restarts. */
export async function clusterDatabase(cluster: Cluster): Promise<TestDatabase> {
  const urls = {
    owner: cluster.url('postgres'),
    app: cluster.url('clsm_app'),
    stats: cluster.url('clsm_stats'),
  };
  const dbs = await openPostgres({
    appUrl: urls.app,
    statsUrl: urls.stats,
    migrateUrl: undefined,
    poolSize: 10,
  });
  return { dbs, urls, dataDir: undefined, close: () => dbs.close() };
}
