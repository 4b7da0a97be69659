import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { appendGathered } from '../audit/append-gathered.js';
import type { AuditEvent } from '../kernel/audit-events.js';

/** Where the steps of a unit of work leave their audit events. */
export interface AuditSink {
  audit(event: AuditEvent): void;
}

/**
 * Holds a unit's events until its work is done, then appends them in the order they came: in the
 * unit's transaction, or for a unit of one statement (no transaction, docs/adr/0037) in one
 * statement with those of the units finishing meanwhile (docs/adr/0040). A work that throws
 * leaves none of them.
 */
export class AuditBuffer implements AuditSink {
  readonly #events: AuditEvent[] = [];
  #flushed = false;

  audit(event: AuditEvent): void {
    // An event that arrives after the flush would be lost: a step that outlives its unit is a bug.
    if (this.#flushed) throw new Error('audit event after the unit of work appended its events');
    this.#events.push(event);
  }

  /** In the unit's transaction: they commit or roll back with its work. */
  async flush(trx: Kysely<Database>): Promise<void> {
    this.#flushed = true;
    for (const event of this.#events) await appendAudit(trx, event);
  }

  /** After a unit of one statement: resolves once they have committed. */
  async flushGathered(db: Kysely<Database>): Promise<void> {
    this.#flushed = true;
    await appendGathered(db, this.#events);
  }
}
