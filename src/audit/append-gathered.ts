import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditEvent } from '../kernel/audit-events.js';
import { auditRow, insertEvents, type AuditRow } from './append.js';

// The events of units of one statement (the reads: docs/adr/0037), appended together: while one
// insert runs, the events of the units that finish meanwhile wait, then go in the next, one
// statement and one commit for all of them (docs/adr/0040). Each unit is still answered only
// once its own events have committed.

interface Waiting {
  rows: AuditRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The inserts of one database's gathered events, one at a time. */
class Gatherer {
  #waiting: Waiting[] = [];
  #running = false;

  constructor(private readonly db: Kysely<Database>) {}

  append(rows: AuditRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ rows, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    while (this.#waiting.length > 0) await this.#insert(this.#waiting.splice(0));
    this.#running = false;
  }

  async #insert(batch: Waiting[]): Promise<void> {
    const insert = (waiting: Waiting[]) =>
      insertEvents(this.db, { rows: JSON.stringify(waiting.flatMap((w) => w.rows)) });
    try {
      await insert(batch);
      for (const w of batch) w.resolve();
    } catch (err) {
      const [only] = batch;
      if (batch.length === 1 && only !== undefined) {
        only.reject(err);
        return;
      }
      // One unit's events must not fail another's: each unit's alone, each learning its own outcome.
      for (const w of batch) await insert([w]).then(w.resolve, w.reject);
    }
  }
}

const gatherers = new WeakMap<Kysely<Database>, Gatherer>();

/**
 * Appends the events of a unit of one statement, in order, with those of the units finishing
 * meanwhile; resolves once they have committed. `db` is the database, never a transaction: the
 * events of a transaction commit with it (`appendAudit`).
 */
export async function appendGathered(db: Kysely<Database>, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  let gatherer = gatherers.get(db);
  if (gatherer === undefined) {
    gatherer = new Gatherer(db);
    gatherers.set(db, gatherer);
  }
  await gatherer.append(events.map(auditRow));
}
