import type { AuditEvent } from '../kernel/audit-events.js';
import type { Clock } from '../util/clock.js';

// Refused tokens cost an attacker nothing: a flood of garbage must not grow the audit log without
// bound. Per source address, refusal reason, CLSM and member, and per minute, the first refusal
// is recorded at once; the ones after it are counted, and recorded as ONE event carrying their
// number (`occurrences`) when the window has passed. Every refusal is accounted for; the log grows
// by at most two events per source and reason a minute. The address only keys the window: it is
// never written to the audit log.

export const REFUSAL_WINDOW_MS = 60_000;
/** Beyond this many open windows (many addresses at once), further sources share one window. */
const MAX_WINDOWS = 10_000;

interface Window {
  startedAt: number;
  event: AuditEvent;
  /** Refusals after the first, not yet recorded. */
  repeated: number;
}

export class RefusalWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly record: (event: AuditEvent) => Promise<void>,
  ) {}

  /**
   * Counts one refusal. Returns whether its own event must be recorded now (the first of its
   * window); records the summaries of the windows that have passed.
   */
  async admit(source: string, event: AuditEvent): Promise<boolean> {
    const now = this.clock.now().getTime();
    await this.flush(now);
    let key = JSON.stringify([source, event.clsmId, event.reason ?? null, event.actorId ?? null]);
    if (!this.windows.has(key) && this.windows.size >= MAX_WINDOWS) {
      key = JSON.stringify(['*', event.clsmId, event.reason ?? null, event.actorId ?? null]);
    }
    const open = this.windows.get(key);
    if (open !== undefined) {
      open.repeated += 1;
      return false;
    }
    this.windows.set(key, { startedAt: now, event, repeated: 0 });
    return true;
  }

  /** Records the summary of every window that has passed (all of them with `Infinity`: at shutdown). */
  async flush(now: number = this.clock.now().getTime()): Promise<void> {
    // Windows are kept in the order they opened: the first one still open ends the sweep.
    for (const [key, w] of this.windows) {
      if (now - w.startedAt < REFUSAL_WINDOW_MS) break;
      this.windows.delete(key);
      if (w.repeated === 0) continue;
      // The summary stands for many requests: it names none of them.
      const { requestId: _first, ...event } = w.event;
      await this.record({ ...event, occurrences: w.repeated });
    }
  }
}
