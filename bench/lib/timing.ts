import { performance } from 'node:perf_hooks';

// Rates of in-process operations: repeat for a fixed time (not a fixed count) so that a slow and a
// fast operation get equally long, equally stable measurements.

/** Runs `op` back to back for `seconds`; returns operations per second. */
export async function ratePerSecond(seconds: number, op: () => unknown): Promise<number> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  let now = start;
  do {
    await op();
    count += 1;
    now = performance.now();
  } while (now < end);
  return (count * 1000) / (now - start);
}

/**
 * Runs `workers` loops of `op` concurrently for `seconds`; returns completed operations per second.
 * The clock stops once `settled` (if given) resolves: work `op` left to finish after it returned
 * is counted in the time.
 */
export async function concurrentRate(
  seconds: number,
  workers: number,
  op: (worker: number) => Promise<unknown>,
  settled?: () => Promise<unknown>,
): Promise<number> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < end) {
        await op(worker);
        count += 1;
      }
    }),
  );
  await settled?.();
  return (count * 1000) / (performance.now() - start);
}

/** Milliseconds one call of `op` takes. */
export async function elapsedMs(op: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await op();
  return performance.now() - start;
}
