import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
  type CompiledQuery,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema.js';

// Statements built and compiled by Kysely once, then run with new values at every request:
// building and compiling the same few queries again and again was the largest share of the API's
// CPU (docs/performance.md, item 4).

/** Builds queries without a connection: they are only ever compiled here. */
const builder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Where a compiled statement takes each of its parameters: a named value, or a constant of the query. */
type Slot = { name: string } | { constant: unknown };

const PLACEHOLDER = '\u0000compiled-once:';

/** What can run a compiled statement: the pool or a transaction. */
export interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/**
 * A statement compiled on first use. `build` receives placeholders for the values named in
 * `names`: each must reach the statement as a parameter of its own (compared, inserted, limited by),
 * never inside an `in` list or as an identifier; compiling checks that each one did.
 */
export function compiledOnce<P extends Record<string, unknown>, R>(
  names: readonly (keyof P & string)[],
  build: (db: Kysely<Database>, values: P) => Compilable<R>,
): (executor: Executor, values: P) => Promise<QueryResult<R>> {
  let compiled: { query: CompiledQuery<R>; slots: Slot[] } | undefined;
  const compile = () => {
    const placeholders = Object.fromEntries(names.map((n) => [n, PLACEHOLDER + n])) as unknown as P;
    const query = build(builder, placeholders).compile();
    const slots = query.parameters.map((p): Slot =>
      typeof p === 'string' && p.startsWith(PLACEHOLDER)
        ? { name: p.slice(PLACEHOLDER.length) }
        : { constant: p },
    );
    for (const n of names) {
      if (!slots.some((s) => 'name' in s && s.name === n))
        throw new Error(`${n} is not a parameter of ${query.sql}`);
    }
    return { query, slots };
  };
  return (executor, values) => {
    compiled ??= compile();
    const { query, slots } = compiled;
    const parameters = slots.map((s) => ('name' in s ? values[s.name] : s.constant));
    return executor.executeQuery({ ...query, parameters });
  };
}
