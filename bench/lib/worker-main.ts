import { TASKS } from './worker-tasks.js';
import type { TaskName, WorkerReply } from './worker-process.js';

// The entry of a measurement process: runs one task, sends its result, and waits to be told to
// exit so that the parent can read its peak memory first.

process.once('message', (message: { task: TaskName; params: never }) => {
  const run = TASKS[message.task] as (params: unknown) => Promise<unknown>;
  run(message.params).then(
    (value) => process.send?.({ type: 'result', value } satisfies WorkerReply),
    (err: unknown) =>
      process.send?.({
        type: 'error',
        error: err instanceof Error ? (err.stack ?? err.message) : 'failed',
      } satisfies WorkerReply),
  );
  process.once('message', () => {
    process.disconnect();
  });
});
