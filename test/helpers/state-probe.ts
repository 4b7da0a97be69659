import { sql, type Kysely } from 'kysely';
import type { TestDatabase } from './database.js';
import { asOwner } from './owner.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

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
      and c.relname not in ('audit_events', 'audit_pending', 'audit_checkpoints')
      and (has_table_privilege(c.oid, 'INSERT') or has_table_privilege(c.oid, 'UPDATE')
        or has_table_privilege(c.oid, 'DELETE'))
    order by 1`.execute(db);
  const blind = rows.filter((r) => !r.readable).map((r) => r.name);
  if (blind.length > 0) throw new Error(`the API role writes tables it cannot read: ${blind.join(', ')}`);
  const tables = rows.map((r) => r.name);
  await asOwner(tdb, (owner) => installChangeLog(owner, tables));

  const snapshot = async (): Promise<Snapshot> => {
    await eventsSealed(db);
    const found = await sql<{ last: string }>`
      select coalesce(max(id), 0)::text as last from probe.changes`.execute(db);
    return { last: found.rows[0]?.last ?? '0' };
  };

  return {
    tables,
    snapshot,
    since: async (before) => {
      await eventsSealed(db);
      const found = await changesAfter(db, before.last);
      if (found.length === 0) return { change: { tables: [], events: [] }, now: before };
      const last = found.reduce((max, r) => (BigInt(r.id) > BigInt(max) ? r.id : max), before.last);
      const changed = new Set(found.map((r) => r.tbl));
      const events = found.flatMap((r) =>
        r.tbl === AUDIT && r.clsm_id !== null && r.type !== null && r.outcome !== null
          ? [{ clsmId: r.clsm_id, seq: Number(r.seq), type: r.type, outcome: r.outcome }]
          : [],
      );
      return { change: { tables: tables.filter((t) => changed.has(t)), events }, now: { last } };
    },
  };
}

interface ChangeRow {
  id: string;
  tbl: string;
  clsm_id: string | null;
  seq: string | null;
  type: string | null;
  outcome: string | null;
  /** The event's CLSM's creation, which orders CLSMs oldest first. */
  created_at: Date | null;
}

const PAGE = 500;

/**
 * The change log's rows after `last`, each audit event's with its fields: CLSM by CLSM (oldest
 * first), each CLSM's events in chain order, other changes after. A page at a time, each event found
 * by its primary key (a lateral lookup): the test databases are never analysed, and a plain join,
 * planned without statistics, read the whole audit log at every request.
 */
async function changesAfter(db: Kysely<any>, last: string): Promise<ChangeRow[]> {
  const rows: ChangeRow[] = [];
  for (let after = last; ;) {
    const page = await sql<ChangeRow>`
      select c.id::text as id, c.tbl, a.clsm_id, a.seq::text as seq, a.type, a.outcome, a.created_at
      from (select id, tbl, clsm_id, seq from probe.changes where id > ${after}::bigint
            order by id limit ${PAGE}) c
      left join lateral (
        select e.clsm_id, e.seq, e.type, e.outcome, t.created_at
        from audit_events e join tenants t on t.clsm_id = e.clsm_id
        where e.clsm_id = c.clsm_id and e.seq = c.seq limit 1) a on true
      order by c.id`.execute(db);
    rows.push(...page.rows);
    const end = page.rows.at(-1);
    if (page.rows.length < PAGE || end === undefined) break;
    after = end.id;
  }
  return rows.sort(
    (x, y) =>
      nullsLast(x.created_at?.getTime(), y.created_at?.getTime()) ||
      nullsLast(x.clsm_id, y.clsm_id) ||
      nullsLast(x.seq === null ? null : BigInt(x.seq), y.seq === null ? null : BigInt(y.seq)) ||
      (BigInt(x.id) < BigInt(y.id) ? -1 : 1),
  );
}

function nullsLast<T extends number | bigint | string>(
  a: T | null | undefined,
  b: T | null | undefined,
): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  return a < b ? -1 : a > b ? 1 : 0;
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
