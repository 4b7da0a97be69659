import { readFileSync } from 'node:fs';

// Memory of a process, from /proc (Linux): VmRSS is what it holds now, VmHWM the highest it ever
// held. Both in MB. Elsewhere /proc does not exist and memory is simply not reported.

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export const currentRssMb = (pid: number): number | undefined => statusField(pid, 'VmRSS');
export const peakRssMb = (pid: number): number | undefined => statusField(pid, 'VmHWM');

/** Samples a process's RSS while some work runs; the highest sample is its peak during that work. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const now = currentRssMb(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
