import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

// What a refused request must not have changed. Every table the API role may write, except the
// audit log, is summed up as its row count and the newest transaction id among its rows (`xmin`:
// an INSERT or UPDATE gives a row a newer one, a DELETE lowers the count), which costs an index
// or a sequential scan of ids rather than reading every row. The audit log is followed per
// tenant, by its head, so that what a refusal adds to it can be read back and judged.
// Only a transaction that writes is given a transaction id: when the next one to be given is the
// same as before, nothing was written anywhere and the tables need not be read at all.

export interface Snapshot {
  /** The next transaction id, as of the snapshot. */
  xid: string;
  tables: Map<string, string>;
  heads: Map<string, number>;
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
  /** The tables summed up, for the report. */
  readonly tables: readonly string[];
}

export async function stateProbe(db: Kysely<Database>): Promise<StateProbe> {
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
  const fingerprints = sql.join(
    tables.map(
      (name) =>
        sql`select ${name} as name, count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text as fp
            from ${sql.raw(name)}`,
    ),
    sql` union all `,
  );

  const nextXid = async () =>
    (await sql<{ xid: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`.execute(db))
      .rows[0]?.xid ?? '';

  const snapshot = async (): Promise<Snapshot> => {
    const xid = await nextXid();
    const fps = await sql<{ name: string; fp: string }>`${fingerprints}`.execute(db);
    const heads = await sql<{ clsm_id: string; head: number | null }>`
      select t.clsm_id, (select max(a.seq) from audit_events a where a.clsm_id = t.clsm_id) as head
      from tenants t`.execute(db);
    return {
      xid,
      tables: new Map(fps.rows.map((r) => [r.name, r.fp])),
      heads: new Map(heads.rows.map((r) => [r.clsm_id, r.head ?? 0])),
    };
  };

  return {
    tables,
    snapshot,
    since: async (before) => {
      if ((await nextXid()) === before.xid) return { change: { tables: [], events: [] }, now: before };
      const now = await snapshot();
      const changed = tables.filter((t) => before.tables.get(t) !== now.tables.get(t));
      const events: AuditRow[] = [];
      for (const [clsmId, head] of now.heads) {
        const previous = before.heads.get(clsmId) ?? 0;
        if (head === previous) continue;
        const added = await db
          .selectFrom('audit_events')
          .select(['seq', 'type', 'outcome'])
          .where('clsm_id', '=', clsmId)
          .where('seq', '>', previous)
          .orderBy('seq')
          .execute();
        events.push(...added.map((e) => ({ clsmId, seq: e.seq, type: e.type, outcome: e.outcome })));
      }
      return { change: { tables: changed, events }, now };
    },
  };
}
