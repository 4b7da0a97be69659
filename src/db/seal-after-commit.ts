import type pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

// An action's transaction writes its audit events into `audit_pending` and commits; the action is
// answered then. The process's sealer moves those events into their CLSMs' chains
// (`audit_seal_many`) within a bounded delay, on a connection of its own, for every action
// committed meanwhile at once (docs/adr/0032, 0035, 0039). A chain's lock is held for the sealing
// only, never across an action's commit, and no action waits for it.

const PENDING = 'audit_pending';

/**
 * How long the sealer gathers events before it seals them: the actions committed meanwhile share
 * one sealing (one transaction, one round trip, the CLSMs' locks taken once).
 */
const GATHER_MS = 2;

/** Whether a statement inserts audit events, which return their key. */
function insertsPending(query: CompiledQuery): boolean {
  const node = query.query;
  return node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === PENDING;
}

/**
 * The process's sealings, one at a time, each on a connection of the pool while it runs. The keys
 * of committed events wait at most `GATHER_MS` and the sealing before theirs. A sealing that
 * fails loses nothing: its events stay in `audit_pending`, committed with their action, and the
 * API's sealing job (every few seconds), the checkpoint or the next opening of the database takes
 * them, in their order.
 */
class Sealer {
  readonly #ids: number[] = [];
  /** How many events were handed over, and how many of them, the first ones, have had their sealing. */
  #handed = 0;
  #done = 0;
  #waiting: { upTo: number; resolve: () => void }[] = [];
  #running = false;

  constructor(private readonly driver: Driver) {}

  add(ids: readonly number[]): void {
    this.#ids.push(...ids);
    this.#handed += ids.length;
    if (this.#running) return;
    this.#running = true;
    void this.#run();
  }

  /** Resolves once every event handed over before the call has had its sealing. */
  settled(): Promise<void> {
    if (this.#done >= this.#handed) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ upTo: this.#handed, resolve }));
  }

  async #run(): Promise<void> {
    while (this.#ids.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      const ids = this.#ids.splice(0);
      await this.#seal(ids);
      this.#done += ids.length;
      const done = this.#done;
      for (const w of this.#waiting) if (w.upTo <= done) w.resolve();
      this.#waiting = this.#waiting.filter((w) => w.upTo > done);
    }
    this.#running = false;
  }

  async #seal(ids: number[]): Promise<void> {
    try {
      const connection = await this.driver.acquireConnection();
      try {
        await connection.executeQuery(CompiledQuery.raw('select audit_seal_many($1::bigint[])', [ids]));
      } finally {
        await this.driver.releaseConnection(connection);
      }
    } catch {
      // Left to the sealing job: see above.
    }
  }
}

class SealingConnection implements DatabaseConnection {
  readonly #toSeal: number[] = [];
  #inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly sealer: Sealer,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (insertsPending(query)) {
      for (const row of result.rows) this.#toSeal.push((row as { id: number }).id);
      if (!this.#inTransaction) this.committed();
    }
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  began(): void {
    this.#inTransaction = true;
  }

  rolledBack(): void {
    this.#inTransaction = false;
    this.#toSeal.length = 0;
  }

  /** Hands the events this connection's committed work wrote to the sealer. */
  committed(): void {
    this.#inTransaction = false;
    if (this.#toSeal.length > 0) this.sealer.add(this.#toSeal.splice(0));
  }
}

const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof SealingConnection ? connection.inner : connection;

class SealingDriver implements Driver {
  readonly sealer: Sealer;

  constructor(private readonly driver: Driver) {
    this.sealer = new Sealer(driver);
  }

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SealingConnection(await this.driver.acquireConnection(), this.sealer);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.driver.beginTransaction(innerOf(connection), settings);
    if (connection instanceof SealingConnection) connection.began();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.driver.commitTransaction(innerOf(connection));
    if (connection instanceof SealingConnection) connection.committed();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof SealingConnection) connection.rolledBack();
    await this.driver.rollbackTransaction(innerOf(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(innerOf(connection));
  }

  async destroy(): Promise<void> {
    await this.sealer.settled();
    await this.driver.destroy();
  }
}

/** PostgreSQL (or PGlite through its `pg` adapter), with every committed audit event sealed. */
class SealingPostgresDialect extends PostgresDialect {
  sealer: Sealer | undefined;

  override createDriver(): Driver {
    const driver = new SealingDriver(super.createDriver());
    this.sealer = driver.sealer;
    return driver;
  }
}

const sealers = new WeakMap<object, Sealer>();

/** A database over this pool whose committed audit events are sealed by the process's sealer. */
export function kyselyOver<T>(pool: pg.Pool): Kysely<T> {
  const dialect = new SealingPostgresDialect({ pool });
  const db = new Kysely<T>({ dialect });
  if (dialect.sealer !== undefined) sealers.set(db, dialect.sealer);
  return db;
}

/**
 * Resolves once every audit event committed through `db` before the call has had its sealing: what
 * a reader of the chain awaits to find there what it has just written (the database as opened by
 * `kyselyOver`, not one of its transactions).
 */
export async function eventsSealed<T>(db: Kysely<T>): Promise<void> {
  const sealer = sealers.get(db);
  if (sealer === undefined) throw new Error('eventsSealed: not a database opened by kyselyOver');
  await sealer.settled();
}

/**
 * Seals every event committed but not sealed, of every CLSM: what a process stopped between an
 * action's commit and its sealing left, or a sealing lost in a crash of the database. Run when the
 * database is opened, before anything is served, and every few seconds by the API.
 */
export async function sealLeftEvents<T>(db: Kysely<T>): Promise<void> {
  await sql`select audit_seal_all()`.execute(db);
}
