import { fork } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { peakRssMb } from './rss.js';
import type { Tasks } from './worker-tasks.js';

// Measurements that are not HTTP run in a process of their own, one per scenario, so that the
// peak memory reported (the process's VmHWM, read just before it exits) is that scenario's alone.

export type TaskName = keyof Tasks;
export type TaskParams<K extends TaskName> = Parameters<Tasks[K]>[0];
export type TaskResult<K extends TaskName> = Awaited<ReturnType<Tasks[K]>>;

export type WorkerReply = { type: 'result'; value: unknown } | { type: 'error'; error: string };

export async function inWorker<K extends TaskName>(
  task: K,
  params: TaskParams<K>,
): Promise<{ value: TaskResult<K>; peakRssMb: number | undefined }> {
  const child = fork(path.join(PROJECT_ROOT, 'bench/lib/worker-main.ts'), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const reply = new Promise<WorkerReply>((resolve) => {
    child.once('message', (message: WorkerReply) => {
      resolve(message);
    });
    void exited.then((code) => {
      resolve({ type: 'error', error: `the ${task} worker exited with ${code}` });
    });
  });
  child.send({ task, params });
  const answer = await reply;
  // The worker waits for this message before it exits: its peak memory is read while it is alive.
  const peak = child.pid === undefined ? undefined : peakRssMb(child.pid);
  if (child.connected) child.send('exit');
  await exited;
  if (answer.type === 'error') throw new Error(`${task}: ${answer.error}`);
  return { value: answer.value as TaskResult<K>, peakRssMb: peak };
}
