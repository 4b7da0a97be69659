import pg from 'pg';
import {
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import { NamedStatementClient } from './named-statements.js';

// The API's most frequent statements are single reads outside any transaction: a request's
// authentication, a situation's state, a page of entries. Sent through the pool, each one waits for
// a connection, then for its answer before the connection serves anyone else; on the two cores
// measured, handing statements over was a fifth of the API's busy time (docs/performance.md,
// item 4; ADR 43). Read lanes carry them instead: a few connections in pipeline
// mode, shared by every request at once, each statement written as soon as it is asked for and
// answered in order. A lane is a read-only session: a write sent on one fails. A transaction
// cannot be opened on one (others' statements would run inside it), nor a cursor.

export interface ReadLaneSettings {
  connectionString: string;
  lanes: number;
  types: pg.CustomTypesConfig;
}

/** One connection in pipeline mode, opened on first use and again after it is lost. */
class Lane {
  /** Statements sent and not yet answered. */
  pending = 0;
  #client: Promise<pg.Client> | undefined;
  #open = new Set<pg.Client>();

  constructor(private readonly settings: ReadLaneSettings) {}

  async query(text: string, values: readonly unknown[]): Promise<pg.QueryResult> {
    this.pending += 1;
    try {
      const client = await this.#connected();
      return await client.query(text, [...values]);
    } finally {
      this.pending -= 1;
    }
  }

  async end(): Promise<void> {
    this.#client = undefined;
    await Promise.all([...this.#open].map((c) => c.end().catch(() => undefined)));
  }

  #connected(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new NamedStatementClient({
      connectionString: this.settings.connectionString,
      types: this.settings.types,
      pipeline: true,
      connectionTimeoutMillis: 5_000,
      application_name: 'clsm',
      options: '-c default_transaction_read_only=on',
    });
    this.#open.add(client);
    const connected = client.connect().then(() => client);
    this.#client = connected;
    // A lost connection fails the statements it carried, and those sent before the loss is seen
    // (the requests answer 503); the next statement after it opens a new one.
    const lost = () => {
      if (this.#client === connected) this.#client = undefined;
      this.#open.delete(client);
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    connected.catch(lost);
    return connected;
  }
}

/** What Kysely's PostgresDialect takes as a pool: every "client" it gets sends on the least busy lane. */
class ReadLanePool implements PostgresPool {
  readonly #lanes: Lane[];

  constructor(settings: ReadLaneSettings) {
    this.#lanes = Array.from({ length: settings.lanes }, () => new Lane(settings));
  }

  connect(): Promise<PostgresPoolClient> {
    const query = (text: unknown, values?: readonly unknown[]) => {
      if (typeof text !== 'string') throw new Error('read lanes carry statements, not cursors');
      return this.#leastBusy().query(text, values ?? []);
    };
    return Promise.resolve({ query, release: () => undefined } as unknown as PostgresPoolClient);
  }

  async end(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.end()));
  }

  #leastBusy(): Lane {
    return this.#lanes.reduce((best, lane) => (lane.pending < best.pending ? lane : best));
  }
}

const NO_TRANSACTION = 'read lanes carry single statements: a transaction belongs on the pool';

/** Kysely's PostgreSQL driver over read lanes, with transactions refused. */
class ReadLaneDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const refuse = () => Promise.reject(new Error(NO_TRANSACTION));
    return {
      init: () => driver.init(),
      acquireConnection: () => driver.acquireConnection(),
      beginTransaction: refuse,
      commitTransaction: refuse,
      rollbackTransaction: refuse,
      releaseConnection: (connection: DatabaseConnection) => driver.releaseConnection(connection),
      destroy: () => driver.destroy(),
    };
  }
}

/** A database whose statements travel on read lanes: single reads, outside any transaction. */
export function readLanesOver<T>(settings: ReadLaneSettings): Kysely<T> {
  return new Kysely<T>({ dialect: new ReadLaneDialect({ pool: new ReadLanePool(settings) }) });
}
