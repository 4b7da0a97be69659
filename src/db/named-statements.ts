import pg from 'pg';

// Every statement with parameters is sent as a named prepared statement: a connection parses and
// plans it once, then only binds new values. Sent unnamed, as node-postgres does by default, each
// execution was parsed and planned again, and planning the case state's statement (a dozen
// subqueries) cost the database more than running it (docs/performance.md, item 4; ADR 36).

/**
 * How many distinct statements a process prepares by name: each connection keeps the ones it has
 * used, with their plans, for its lifetime. The application builds statements in about 220
 * places; texts that vary with their values (an `in` list of a new length) stop being named at
 * this bound and run unnamed, as before.
 */
export const MAX_NAMED_STATEMENTS = 500;

/** Names given to statement texts, in the order first seen, up to a bound. */
export class StatementNames {
  readonly #names = new Map<string, string>();

  constructor(private readonly max: number) {}

  /** The name of a statement's text, given on first use; undefined once the bound is reached. */
  nameOf(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined || this.#names.size >= this.max) return known;
    const name = `clsm_${String(this.#names.size + 1)}`;
    this.#names.set(text, name);
    return name;
  }
}

/** The process's names: one text has one name on every connection. */
export const statementNames = new StatementNames(MAX_NAMED_STATEMENTS);

type Query = pg.Client['query'];

/**
 * A node-postgres client that names the statements Kysely sends (a text and its values). Any other
 * form of query (a config object, a statement without values, several statements in one text) is
 * passed on unchanged: only a text with values can be a single statement prepared by name.
 */
export class NamedStatementClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const unnamed = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = statementNames.nameOf(config);
        if (name !== undefined) return unnamed({ name, text: config, values }, callback);
      }
      return unnamed(config, values, callback);
    }) as Query;
  }
}
