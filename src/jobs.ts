import type { AppContext } from './context.js';

export type Job = () => Promise<unknown>;

/** Periodic work of the API process. Returns a function that stops it. */
export function startBackgroundJobs(
  ctx: AppContext,
  jobs: Record<string, { everyMs: number; run: Job }>,
): () => void {
  const timers = Object.entries(jobs).map(([name, job]) => {
    const timer = setInterval(() => {
      job.run().catch((err: unknown) => {
        ctx.logger.error({ err, job: name }, 'background job failed');
      });
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  return () => {
    timers.forEach((t) => {
      clearInterval(t);
    });
  };
}
