import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import type { AuditEvent } from '../kernel/audit-events.js';

/** Where the steps of a unit of work leave their audit events. */
export interface AuditSink {
  audit(event: AuditEvent): void;
}

/**
 * Holds a unit's events until its work is done, then appends them in the order they came: in the
 * unit's transaction, or in a unit of one statement (no transaction) each in a statement of its own,
 * committed before the next (docs/adr/0037). A work that throws leaves none of them.
 */
export class AuditBuffer implements AuditSink {
  readonly #events: AuditEvent[] = [];
  #flushed = false;

  audit(event: AuditEvent): void {
    // An event that arrives after the flush would be lost: a step that outlives its unit is a bug.
    if (this.#flushed) throw new Error('audit event after the unit of work appended its events');
    this.#events.push(event);
  }

  async flush(trx: Kysely<Database>): Promise<void> {
    this.#flushed = true;
    for (const event of this.#events) await appendAudit(trx, event);
  }
}
