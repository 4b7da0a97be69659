import {
  CompiledQuery,
  PostgresDialect,
  sql,
  type Kysely,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

// An action's transaction writes its audit events into `audit_pending`; once it has committed, the
// connection that ran it seals those events into their CLSMs' chains (`audit_seal_many`), before
// it is released to serve anything else (docs/adr/0032, 0035). A chain's lock is then held for the
// sealing only, never across an action's commit, and the action is answered with its events in
// the chain.

const PENDING = 'audit_pending';

/** Whether a statement inserts audit events, which return their key. */
function insertsPending(query: CompiledQuery): boolean {
  const node = query.query;
  return node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === PENDING;
}

/** Runs one sealing, of the events of these ids. */
type Seal = (ids: readonly number[]) => Promise<void>;

interface Queued {
  ids: number[];
  done: Promise<void>;
}

/**
 * The process's sealings, one at a time: a connection whose transaction has committed needs its
 * events sealed by a sealing that starts after its commit. If one is running, the connection's
 * ids join the next one, queued to start when it ends; every connection that commits meanwhile
 * waits for that same one, whatever CLSMs its events belong to. Concurrent writers thus share
 * sealings instead of each running one: one transaction and one round trip for all of them.
 */
class Sealings {
  #running: Promise<void> | undefined;
  #next: Queued | undefined;

  after(ids: readonly number[], seal: Seal): Promise<void> {
    if (this.#running === undefined) return this.#start([...ids], seal);
    if (this.#next !== undefined) {
      this.#next.ids.push(...ids);
      return this.#next.done;
    }
    const queued: Queued = { ids: [...ids], done: Promise.resolve() };
    queued.done = this.#running.then(() => this.#start(queued.ids, seal));
    this.#next = queued;
    return queued.done;
  }

  #start(ids: number[], seal: Seal): Promise<void> {
    this.#next = undefined;
    const running = seal(ids).finally(() => {
      if (this.#running === running && this.#next === undefined) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}

class SealingConnection implements DatabaseConnection {
  readonly #toSeal: number[] = [];
  #inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly sealings: Sealings,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (insertsPending(query)) {
      for (const row of result.rows) this.#toSeal.push((row as { id: number }).id);
      if (!this.#inTransaction) await this.seal();
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

  /**
   * Seals the events this connection wrote. A sealing that fails loses nothing: the events stay in
   * `audit_pending`, committed with their action, and the API's sealing job (every few seconds),
   * the checkpoint or the next opening of the database takes them, in their order.
   */
  async seal(): Promise<void> {
    this.#inTransaction = false;
    if (this.#toSeal.length === 0) return;
    const ids = this.#toSeal.splice(0);
    await this.sealings.after(ids, async (all) => {
      await this.inner
        .executeQuery(CompiledQuery.raw('select audit_seal_many($1::bigint[])', [all]))
        .catch(() => undefined);
    });
  }
}

const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof SealingConnection ? connection.inner : connection;

class SealingDriver implements Driver {
  readonly #sealings = new Sealings();

  constructor(private readonly driver: Driver) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SealingConnection(await this.driver.acquireConnection(), this.#sealings);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.driver.beginTransaction(innerOf(connection), settings);
    if (connection instanceof SealingConnection) connection.began();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.driver.commitTransaction(innerOf(connection));
    if (connection instanceof SealingConnection) await connection.seal();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof SealingConnection) connection.rolledBack();
    await this.driver.rollbackTransaction(innerOf(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

/** PostgreSQL (or PGlite through its `pg` adapter), with every committed audit event sealed. */
export class SealingPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new SealingDriver(super.createDriver());
  }
}

/**
 * Seals every event committed but not sealed, of every CLSM: what a process stopped between an
 * action's commit and its sealing left, or a sealing lost in a crash of the database. Run when the
 * database is opened, before anything is served, and every few seconds by the API.
 */
export async function sealLeftEvents<T>(db: Kysely<T>): Promise<void> {
  await sql`select audit_seal_all()`.execute(db);
}
