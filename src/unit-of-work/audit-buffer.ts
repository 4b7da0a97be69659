import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import type { AuditEvent } from '../kernel/audit-events.js';

/** Where the steps of a unit of work leave their audit events. */
export interface AuditSink {
  audit(event: AuditEvent): void;
}

/**
 * Holds a unit's events until its work is done, then appends them in the order they came. The
 * chain's lock (taken by the first append, held until commit) is thus taken last: no step of the
 * work runs while the CLSM's other writers wait on it (docs/adr/0004).
 */
export class AuditBuffer implements AuditSink {
  readonly #events: AuditEvent[] = [];
  #flushed = false;

  audit(event: AuditEvent): void {
    // An event that arrives after the flush would be lost: a step that outlives its unit is a bug.
    if (this.#flushed) throw new Error('audit event after the unit of work appended its events');
    this.#events.push(event);
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    this.#flushed = true;
    for (const event of this.#events) await appendAudit(trx, event);
  }
}
