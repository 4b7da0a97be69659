import { readdirSync, readFileSync } from 'node:fs';

// CPU time spent during a run, from /proc (Linux): the server process's, and that of PostgreSQL's
// processes when the database runs on this machine (its backends, WAL writer, checkpointer and
// autovacuum: whatever the load made it do). Divided by the requests answered, it is what one
// request costs the machine, and where: in the server or in the database. Elsewhere /proc does not
// exist and CPU is simply not reported.

/** Clock ticks per second of /proc's CPU times: 100 on every Linux build Node supports. */
const TICKS_PER_SECOND = 100;

/** User and system CPU time of a process so far, in ms; undefined if it cannot be read. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: fields are counted after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time of every process named `postgres` so far, in ms; one that ends meanwhile is left out. */
export function postgresCpuMs(): number | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let total = 0;
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += processCpuMs(Number(name)) ?? 0;
  }
  return total;
}

export interface CpuSpent {
  serverMs: number | undefined;
  databaseMs: number | undefined;
}

/** Starts counting; `stop` gives the CPU time spent since, by the server and by PostgreSQL. */
export function countCpu(serverPid: number, database: boolean): { stop(): CpuSpent } {
  const server0 = processCpuMs(serverPid);
  const database0 = database ? postgresCpuMs() : undefined;
  const spent = (start: number | undefined, end: number | undefined) =>
    start === undefined || end === undefined ? undefined : end - start;
  return {
    stop: () => ({
      serverMs: spent(server0, processCpuMs(serverPid)),
      databaseMs: database ? spent(database0, postgresCpuMs()) : undefined,
    }),
  };
}

/** Whether a PostgreSQL URL names this machine, whose processes /proc then shows. */
export function isLocalDatabase(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** A run's CPU time per answered request. */
export const perRequest = (ms: number | undefined, requests: number): number | undefined =>
  ms === undefined || requests === 0 ? undefined : ms / requests;
