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
// connection that ran it seals those events into their CLSM's chain (`audit_seal`), before it is
// released to serve anything else (docs/adr/0032). The chain's lock is then held for the sealing
// only, never across an action's commit, and the action is answered with its events in the chain.

const PENDING = 'audit_pending';

/** Whether a statement inserts audit events, which return the CLSM they belong to. */
function insertsPending(query: CompiledQuery): boolean {
  const node = query.query;
  return node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === PENDING;
}

/**
 * Sealings of one CLSM's chain, one at a time per process: a connection whose transaction has
 * committed needs a sealing that starts after its commit. If one is running (it may have started
 * before), the next one, queued to start when it ends, does; every connection that commits
 * meanwhile waits for that same one. Concurrent writers of a CLSM thus share sealings instead of
 * queueing one each on the chain's lock.
 */
class Sealings {
  readonly #byClsm = new Map<string, { running: Promise<void>; next?: Promise<void> }>();

  after(clsm: string, seal: () => Promise<void>): Promise<void> {
    const state = this.#byClsm.get(clsm);
    if (state === undefined) return this.#start(clsm, seal);
    state.next ??= state.running.then(() => this.#start(clsm, seal));
    return state.next;
  }

  #start(clsm: string, seal: () => Promise<void>): Promise<void> {
    const running = seal().finally(() => {
      const state = this.#byClsm.get(clsm);
      if (state?.running !== running) return;
      if (state.next === undefined) this.#byClsm.delete(clsm);
    });
    const state = this.#byClsm.get(clsm);
    if (state === undefined) this.#byClsm.set(clsm, { running });
    else {
      state.running = running;
      delete state.next;
    }
    return running;
  }
}

class SealingConnection implements DatabaseConnection {
  readonly #toSeal = new Set<string>();
  #inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly sealings: Sealings,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (insertsPending(query)) {
      for (const row of result.rows) this.#toSeal.add((row as { clsm_id: string }).clsm_id);
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
    this.#toSeal.clear();
  }

  /**
   * Seals the chains this connection wrote events for. A sealing that fails loses nothing: the
   * events stay in `audit_pending`, committed with their action, and the next sealing of their
   * CLSM (its next event, the checkpoint job, the next start) takes them, in their order.
   */
  async seal(): Promise<void> {
    this.#inTransaction = false;
    const clsms = [...this.#toSeal];
    this.#toSeal.clear();
    for (const clsm of clsms) {
      await this.sealings.after(clsm, async () => {
        await this.inner
          .executeQuery(CompiledQuery.raw('select audit_seal($1)', [clsm]))
          .catch(() => undefined);
      });
    }
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
