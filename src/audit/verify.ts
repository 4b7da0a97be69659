import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { checkpointSignatureValid, listCheckpoints } from './checkpoints.js';
import type { Checkpoint } from './signer.js';
import { HASH_MATCHES } from './recompute-sql.js';
import type { BREAK_REASONS } from './wire-schema.js';

// Recomputes a CLSM's chain from the first event, and holds it against every checkpoint known:
// those in the database (if their signature verifies with the trusted key) and those held outside.
// Detects a modified field, a deleted event, reordered events, a rewritten and re-hashed chain
// (against an outside checkpoint), and a truncated tail.

export interface Verdict {
  clsmId: string;
  ok: boolean;
  events: number;
  lastSeq: number;
  checkpointsChecked: number;
  /** The first sequence number at which the log is not what it should be. */
  firstBadSeq?: number;
  /** What is wrong there, as a code a client words in its own language. */
  reason?: BreakReason;
  /**
   * The other sequence number the reason speaks of: the next event stored (`missing`), the last
   * checkpoint the log still matched (`contradicted`), the highest one vouched for (`cut`).
   */
  relatedSeq?: number;
  problem?: string;
}

export type BreakReason = (typeof BREAK_REASONS)[number];

interface Problem {
  seq: number;
  reason: BreakReason;
  relatedSeq?: number;
  problem: string;
}

export interface VerifyOptions {
  /** The audit key's public half, from outside the database. Without it, stored checkpoints are not used. */
  publicKey?: Buffer | undefined;
  /** Checkpoints held outside the database (already signature-checked by the caller or not: they are checked here). */
  external?: Checkpoint[] | undefined;
  onProgress?: (verified: number) => void;
}

const BATCH = 5_000;
/** Windows fetched ahead of the one being checked. */
const WINDOWS_AHEAD = 2;

async function lastStoredSeq(db: Kysely<Database>, clsmId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('clsm_id', '=', clsmId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

/**
 * What verification needs of the events of one window of seq numbers that it must look at, in
 * order: the window's first and last, any that does not follow the one stored before it (its seq,
 * its link), whose hash is not that of its fields, and those a checkpoint names. The database
 * recomputes every hash (recompute-sql.ts) and compares each event with the one before it; the
 * events between those returned are then known to follow one another and to match their hashes,
 * and a million of them are never sent to Node. Links travel as hex (cheaper for the driver than
 * bytea, compared as strings).
 */
interface StoredEvent {
  seq: number;
  /** The event's rank in its window, from 1. */
  rank: number;
  prev_hex: string;
  hash_hex: string;
  hash_matches: boolean;
  /** The event stored before it in the window: its seq and hash (null for the window's first). */
  before_seq: number | null;
  before_hex: string | null;
}

/** The first event's prev_hash: 32 zero bytes. */
const GENESIS_HEX = '00'.repeat(32);

async function fetchWindow(
  db: Kysely<Database>,
  clsmId: string,
  from: number,
  checkpointSeqs: readonly number[],
): Promise<StoredEvent[]> {
  const result = await sql<StoredEvent>`
    select seq, rank, encode(prev_hash, 'hex') as prev_hex, encode(hash, 'hex') as hash_hex, hash_matches,
        before_seq, encode(before_hash, 'hex') as before_hex
      from (
        select seq, prev_hash, hash, ${HASH_MATCHES} as hash_matches,
            row_number() over w as rank,
            lag(seq) over w as before_seq, lag(hash) over w as before_hash,
            lead(seq) over w is null as last
          from audit_events where clsm_id = ${clsmId} and seq >= ${from} and seq < ${from + BATCH}
          window w as (order by seq)
      ) window_events
      where rank = 1 or last or not hash_matches or seq <> before_seq + 1 or prev_hash <> before_hash
        or seq = any(${checkpointSeqs.filter((seq) => seq >= from && seq < from + BATCH)}::bigint[])
      order by seq`.execute(db);
  return result.rows;
}

export async function verifyClsm(
  db: Kysely<Database>,
  clsmId: string,
  options: VerifyOptions = {},
): Promise<Verdict> {
  const problems: Problem[] = [];
  const stored = options.publicKey === undefined ? [] : await listCheckpoints(db, clsmId);
  const checkpoints = new Map<number, Checkpoint[]>();
  for (const cp of [...stored, ...(options.external ?? [])]) {
    if (
      options.publicKey === undefined ||
      cp.clsmId !== clsmId ||
      !checkpointSignatureValid(cp, options.publicKey)
    ) {
      problems.push({
        seq: cp.seq,
        reason: 'unsigned',
        problem: `the checkpoint at seq ${cp.seq} is not signed by the trusted audit key`,
      });
      continue;
    }
    checkpoints.set(cp.seq, [...(checkpoints.get(cp.seq) ?? []), cp]);
  }

  const checkpointSeqs = [...checkpoints.keys()];
  let expected = 1;
  let prevHash = GENESIS_HEX;
  /** The events of the windows before this one. */
  let eventsBefore = 0;
  let events = 0;
  let checked = 0;
  let lastGood = 0;
  // Windows of seq numbers up to the last one stored: a bounded range is one index range scan
  // whatever the table's statistics say, and a gap (deleted events) does not end the reading. The
  // next windows are fetched while this one is checked, on connections of their own when the pool
  // has them: the database recomputes the hashes (recompute-sql.ts) on as many cores.
  const last = await lastStoredSeq(db, clsmId);
  const ahead: Promise<StoredEvent[]>[] = [];
  let nextFrom = 1;
  const fetchNext = () => {
    if (nextFrom > last) return;
    const window = fetchWindow(db, clsmId, nextFrom, checkpointSeqs);
    // Awaited in turn below; until then a failure must not count as unhandled.
    window.catch(() => undefined);
    ahead.push(window);
    nextFrom += BATCH;
  };
  for (let i = 0; i < WINDOWS_AHEAD; i++) fetchNext();
  for (let window = ahead.shift(); window !== undefined; window = ahead.shift()) {
    const rows = await window;
    fetchNext();
    for (const row of rows) {
      // The events between two returned ones follow one another and match their hashes (or they
      // would have been returned): verification stands where it would after checking each.
      if (row.before_seq !== null && row.before_hex !== null) {
        expected = row.before_seq + 1;
        prevHash = row.before_hex;
      }
      events = eventsBefore + row.rank;
      if (row.seq !== expected) {
        problems.push({
          seq: expected,
          reason: 'missing',
          relatedSeq: row.seq,
          problem: `event ${expected} is missing (the next one is ${row.seq})`,
        });
      } else if (row.prev_hex !== prevHash) {
        problems.push({
          seq: row.seq,
          reason: 'unlinked',
          problem: `event ${row.seq} does not link to the event before it`,
        });
      } else if (!row.hash_matches) {
        problems.push({
          seq: row.seq,
          reason: 'modified',
          problem: `event ${row.seq} was modified (its hash does not match its content)`,
        });
      }
      for (const cp of checkpoints.get(row.seq) ?? []) {
        checked += 1;
        if (cp.hash.toString('hex') !== row.hash_hex) {
          problems.push({
            seq: row.seq,
            reason: 'contradicted',
            relatedSeq: lastGood,
            problem: `the log differs from the checkpoint signed at seq ${row.seq}: it was rewritten at or before that event, after seq ${lastGood}`,
          });
        } else {
          lastGood = row.seq;
        }
      }
      if (problems.length > 0) break;
      expected = row.seq + 1;
      prevHash = row.hash_hex;
    }
    eventsBefore = events;
    options.onProgress?.(events);
    if (problems.length > 0) {
      // Prefetches still under way must settle before the caller may release the connection.
      await Promise.allSettled(ahead);
      break;
    }
  }
  const lastSeq = expected - 1;
  const beyond = [...checkpoints.keys()].filter((seq) => seq > lastSeq);
  if (problems.length === 0 && beyond.length > 0) {
    problems.push({
      seq: lastSeq + 1,
      reason: 'cut',
      relatedSeq: Math.max(...beyond),
      problem: `the log ends at seq ${lastSeq} but a checkpoint vouches for seq ${Math.max(...beyond)}: its tail was cut`,
    });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const first = problems[0];
  return {
    clsmId,
    ok: first === undefined,
    events,
    lastSeq,
    checkpointsChecked: checked,
    ...(first === undefined
      ? {}
      : {
          firstBadSeq: first.seq,
          reason: first.reason,
          ...(first.relatedSeq === undefined ? {} : { relatedSeq: first.relatedSeq }),
          problem: first.problem,
        }),
  };
}

/**
 * Every CLSM that has a chain or a checkpoint, in the database or outside: a CLSM whose events
 * were all deleted is still verified (and found cut) if any checkpoint vouches for it.
 */
export async function verifyAll(db: Kysely<Database>, options: VerifyOptions = {}): Promise<Verdict[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('clsm_id')
    .distinct()
    .union(db.selectFrom('audit_checkpoints').select('clsm_id').distinct())
    .execute();
  const clsmIds = new Set([
    ...rows.map((r) => r.clsm_id),
    ...(options.external ?? []).map((cp) => cp.clsmId),
  ]);
  const verdicts: Verdict[] = [];
  for (const clsmId of [...clsmIds].sort()) {
    const external = options.external?.filter((cp) => cp.clsmId === clsmId);
    verdicts.push(await verifyClsm(db, clsmId, { ...options, external }));
  }
  return verdicts;
}
