import { sql, type Kysely } from 'kysely';
import type { TestDatabase } from './database.js';
import { asOwner } from './owner.js';

// What a refused request must not have changed. The schema owner gives every table the API role
// may write (the audit log aside) a trigger that appends the table's name to a change log of the
// test's own, row by row, inside the writing transaction: a write that is rolled back leaves
// nothing there, a write that commits (in the request's transaction or in any other) leaves its
// table's name. The audit log's trigger appends each event's CLSM and sequence number, so that
// what a refusal adds to it can be read back and judged. A probe then reads only the log's rows
// after the last one it saw: one indexed query, whatever the size of the tables. Events come
// CLSM by CLSM (oldest first), each CLSM's in chain order.

export interface Snapshot {
  /** The change log's last row, as of the snapshot. */
  last: string;
}

export interface AuditRow {
  clsmId: string;
  seq: number;
  type: string;
  outcome: string;
}

export interface StateChange {
  /** Tables whose rows changed. */
  tables: string[];
  /** Audit events appended since the earlier snapshot. */
  events: AuditRow[];
}

export interface StateProbe {
  snapshot(): Promise<Snapshot>;
  /** What changed between `before` and now; also returns the new snapshot to chain with. */
  since(before: Snapshot): Promise<{ change: StateChange; now: Snapshot }>;
  /** The tables followed, for the report. */
  readonly tables: readonly string[];
}

const AUDIT = 'public.audit_events';

const probes = new WeakMap<TestDatabase, Promise<StateProbe>>();

/** The probe of a test database, its change log installed on first use. */
export function stateProbe(tdb: TestDatabase): Promise<StateProbe> {
  const probe = probes.get(tdb) ?? makeProbe(tdb);
  probes.set(tdb, probe);
  return probe;
}

async function makeProbe(tdb: TestDatabase): Promise<StateProbe> {
  const db = tdb.dbs.db;
  // As the API role: the tables it may write are the ones its requests could change.
  const { rows } = await sql<{ name: string; readable: boolean }>`
    select format('%I.%I', n.nspname, c.relname) as name, has_table_privilege(c.oid, 'SELECT') as readable
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname in ('public', 'stats')
      and c.relname not in ('audit_events', 'audit_checkpoints')
      and (has_table_privilege(c.oid, 'INSERT') or has_table_privilege(c.oid, 'UPDATE')
        or has_table_privilege(c.oid, 'DELETE'))
    order by 1`.execute(db);
  const blind = rows.filter((r) => !r.readable).map((r) => r.name);
  if (blind.length > 0) throw new Error(`the API role writes tables it cannot read: ${blind.join(', ')}`);
  const tables = rows.map((r) => r.name);
  await asOwner(tdb, (owner) => installChangeLog(owner, tables));

  const snapshot = async (): Promise<Snapshot> => {
    const found = await sql<{ last: string }>`
      select coalesce(max(id), 0)::text as last from probe.changes`.execute(db);
    return { last: found.rows[0]?.last ?? '0' };
  };

  return {
    tables,
    snapshot,
    since: async (before) => {
      const found = await sql<{
        id: string;
        tbl: string;
        clsm_id: string | null;
        seq: string | null;
        type: string | null;
        outcome: string | null;
      }>`
        select c.id::text as id, c.tbl, a.clsm_id, a.seq::text as seq, a.type, a.outcome
        from probe.changes c left join audit_events a on a.clsm_id = c.clsm_id and a.seq = c.seq
          left join tenants t on t.clsm_id = a.clsm_id
        where c.id > ${before.last}::bigint order by t.created_at, a.clsm_id, a.seq, c.id`.execute(db);
      if (found.rows.length === 0) return { change: { tables: [], events: [] }, now: before };
      const last = found.rows.reduce((max, r) => (BigInt(r.id) > BigInt(max) ? r.id : max), before.last);
      const changed = new Set(found.rows.map((r) => r.tbl));
      const events = found.rows.flatMap((r) =>
        r.tbl === AUDIT && r.clsm_id !== null && r.type !== null && r.outcome !== null
          ? [{ clsmId: r.clsm_id, seq: Number(r.seq), type: r.type, outcome: r.outcome }]
          : [],
      );
      return { change: { tables: tables.filter((t) => changed.has(t)), events }, now: { last } };
    },
  };
}

/**
 * The change log and its triggers, made by the owner. The trigger functions run with their
 * owner's rights (security definer): the API role may read the log, never write it.
 */
async function installChangeLog(owner: Kysely<any>, tables: string[]): Promise<void> {
  const statements = [
    sql`create schema probe`,
    sql`create table probe.changes (id bigserial primary key, tbl text not null, clsm_id uuid, seq bigint)`,
    sql`create function probe.note_row() returns trigger language plpgsql security definer
      set search_path = pg_catalog, probe as $$
      begin
        insert into probe.changes (tbl) values (format('%I.%I', tg_table_schema, tg_table_name));
        return null;
      end $$`,
    sql`create function probe.note_event() returns trigger language plpgsql security definer
      set search_path = pg_catalog, probe as $$
      begin
        insert into probe.changes (tbl, clsm_id, seq) values ('public.audit_events', new.clsm_id, new.seq);
        return null;
      end $$`,
    ...tables.flatMap((name) => [
      sql`create trigger probe_row after insert or update or delete on ${sql.raw(name)}
        for each row execute function probe.note_row()`,
      sql`create trigger probe_truncate after truncate on ${sql.raw(name)}
        for each statement execute function probe.note_row()`,
    ]),
    sql`create trigger probe_event after insert on audit_events
      for each row execute function probe.note_event()`,
    sql`grant usage on schema probe to clsm_app`,
    sql`grant select on probe.changes to clsm_app`,
  ];
  for (const statement of statements) await statement.execute(owner);
}
