import t from 'tap';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openTestDatabase } from '../helpers/database.js';
import { asOwner } from '../helpers/owner.js';
import { auditedWrite, bareClsm } from '../helpers/audit.js';
import { verifyAll, verifyClsm } from '../../src/audit/verify.js';
import {
  checkpointClsm,
  fromCheckpointFile,
  listCheckpoints,
  toCheckpointFile,
} from '../../src/audit/checkpoints.js';
import { keyIdOf } from '../../src/auth/tokens.js';
import { rawPublicKey } from '../../src/util/server-ed25519.js';
import { fileWitness, readWitnessFile } from '../../src/audit/witness.js';
import { scratchDir } from '../helpers/paths.js';
import { appendAudit } from '../../src/audit/append.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';

// Each tampering is done as the database superuser, triggers disabled: what an administrator (or
// whoever has their access) could do. Verification must name the first bad sequence number.

const tdb = await openTestDatabase();
t.teardown(() => tdb.close());
const { db } = tdb.dbs;
const key = generateKeyPairSync('ed25519').privateKey;
const witnessFile = path.join(await scratchDir('witness'), 'audit-witness.jsonl');
const signer = {
  keyId: keyIdOf(key),
  publicKey: rawPublicKey(key),
  privateKey: key,
  witness: fileWitness(witnessFile),
};

async function chainOf10(): Promise<{ clsmId: string; external: ReturnType<typeof fromCheckpointFile> }> {
  const clsmId = await bareClsm(db);
  for (let i = 0; i < 10; i++) await auditedWrite(db, clsmId, i);
  await checkpointClsm(db, signer, clsmId);
  // The copy an outside party keeps: exported now, before anything happens.
  const file = JSON.parse(
    JSON.stringify(toCheckpointFile(clsmId, signer, await listCheckpoints(db, clsmId))),
  );
  return { clsmId, external: fromCheckpointFile(file) };
}

const tamper = (fn: (owner: Kysely<any>) => Promise<unknown>) =>
  asOwner(tdb, async (owner) => {
    await sql`alter table audit_events disable trigger user`.execute(owner);
    await sql`alter table audit_checkpoints disable trigger user`.execute(owner);
    try {
      await fn(owner);
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(owner);
      await sql`alter table audit_checkpoints enable trigger user`.execute(owner);
    }
  });

t.test('an intact chain verifies, its checkpoint included', async (t) => {
  const { clsmId, external } = await chainOf10();
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey, external: external.checkpoints }), {
    ok: true,
    events: 10,
    checkpointsChecked: 2,
  });
});

t.test('a modified field', async (t) => {
  const { clsmId } = await chainOf10();
  await tamper((o) =>
    sql`update audit_events set actor_role = 'dpo' where clsm_id = ${clsmId} and seq = 4`.execute(o),
  );
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey }), {
    ok: false,
    firstBadSeq: 4,
    reason: 'modified',
    problem: /modified/,
  });
});

/** An event with every field set, text beyond ASCII included, after one plain event. */
async function fullEvent(): Promise<string> {
  const clsmId = await bareClsm(db);
  await auditedWrite(db, clsmId, 0);
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      clsmId,
      type: 'compartment.read',
      outcome: 'denied',
      reason: 'NOT_A_PARTICIPANT',
      actorId: randomUUID(),
      actorRole: 'health_professional',
      action: 'read',
      resourceType: 'entry',
      resourceId: 'séance-ü-😀',
      caseId: randomUUID(),
      compartment: 'health',
      subjectId: randomUUID(),
      keyVersion: 3,
      legalBasis: { kind: 'exception', id: randomUUID() },
      requestId: randomUUID(),
      occurrences: 4,
    }),
  );
  await eventsSealed(db);
  return clsmId;
}

// Each change is made alone to the second event; the first must still verify, the second not.
const CHANGES: Record<string, string> = {
  at: "at + interval '1 millisecond'",
  type: "'compartment.write'",
  outcome: "'success'",
  reason: 'null',
  actor_id: 'gen_random_uuid()',
  actor_role: "'dpo'",
  action: "'write'",
  resource_type: "'entrée'",
  resource_id: "'séance-u-😀'",
  case_id: 'gen_random_uuid()',
  compartment: "'social'",
  subject_id: 'gen_random_uuid()',
  key_version: 'key_version + 1',
  legal_basis: "'law'",
  legal_basis_id: 'gen_random_uuid()',
  request_id: "'another-request'",
  occurrences: 'occurrences + 1',
};

t.test('every hashed field, changed alone, is seen', async (t) => {
  t.equal((await verifyClsm(db, await fullEvent())).ok, true, 'the event as written verifies');
  for (const [column, value] of Object.entries(CHANGES)) {
    const clsmId = await fullEvent();
    await tamper((o) =>
      sql`update audit_events set ${sql.id(column)} = ${sql.raw(value)} where clsm_id = ${clsmId} and seq = 2`.execute(
        o,
      ),
    );
    t.match(await verifyClsm(db, clsmId), { ok: false, firstBadSeq: 2, reason: 'modified' }, column);
  }
  const dropped = await fullEvent();
  await tamper((o) =>
    sql`update audit_events set occurrences = null where clsm_id = ${dropped} and seq = 2`.execute(o),
  );
  t.match(
    await verifyClsm(db, dropped),
    { ok: false, firstBadSeq: 2, reason: 'modified' },
    'occurrences dropped',
  );
});

t.test('events hashed under a trigger function replaced to leave a field out are caught', async (t) => {
  const clsmId = await bareClsm(db);
  await auditedWrite(db, clsmId, 0);
  await eventsSealed(db);
  // The owner's preimage without actor_role: the events it hashes could then be changed at will.
  await asOwner(tdb, async (o) => {
    await sql`alter function audit_preimage(audit_events) rename to audit_preimage_original`.execute(o);
    await sql`create function audit_preimage(e audit_events) returns bytea language plpgsql immutable
                set search_path = pg_catalog, public as $$
                declare r audit_events := e; begin r.actor_role := null; return audit_preimage_original(r); end $$`.execute(
      o,
    );
  });
  try {
    await db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, { clsmId, type: 'auth.logout', outcome: 'success', actorRole: 'partner' }),
      );
    await eventsSealed(db);
    await tamper((o) =>
      sql`update audit_events set actor_role = 'dpo' where clsm_id = ${clsmId} and seq = 2`.execute(o),
    );
    const fooled = await asOwner(tdb, (o) =>
      sql<{ ok: boolean }>`select sha256(audit_preimage(e)) = e.hash as ok from audit_events e
                            where e.clsm_id = ${clsmId} and e.seq = 2`.execute(o),
    );
    t.equal(fooled.rows[0]?.ok, true, "a check through the database's own functions is fooled");
    t.match(await verifyClsm(db, clsmId), { ok: false, firstBadSeq: 2, reason: 'modified' });
  } finally {
    await asOwner(tdb, async (o) => {
      await sql`drop function audit_preimage(audit_events)`.execute(o);
      await sql`alter function audit_preimage_original(audit_events) rename to audit_preimage`.execute(o);
    });
  }
});

t.test('a long chain read in several windows: a change or a gap in a later one is found', async (t) => {
  // 12,002 events: verification reads them 5,000 at a time, the next windows fetched ahead.
  const long = async () => {
    const clsmId = await bareClsm(db);
    await auditedWrite(db, clsmId, 0);
    await auditedWrite(db, clsmId, 1);
    await sql`insert into audit_pending (clsm_id, type, outcome, resource_type, resource_id)
              select ${clsmId}::uuid, 'auth.logout', 'success', 'test', g::text
                from generate_series(1, 12000) g`.execute(db);
    await sql`select audit_seal(${clsmId})`.execute(db);
    return clsmId;
  };
  const intact = await long();
  t.match(await verifyClsm(db, intact), { ok: true, events: 12_002, lastSeq: 12_002 });
  const changed = await long();
  await tamper((o) =>
    sql`update audit_events set resource_id = 'x' where clsm_id = ${changed} and seq = 11000`.execute(o),
  );
  t.match(await verifyClsm(db, changed), { ok: false, firstBadSeq: 11_000, reason: 'modified' });
  const cut = await long();
  await tamper((o) => sql`delete from audit_events where clsm_id = ${cut} and seq = 5001`.execute(o));
  t.match(await verifyClsm(db, cut), { ok: false, firstBadSeq: 5001, reason: 'missing', relatedSeq: 5002 });
});

t.test(
  'inside a window, where the database returns no event, every break is found where it is',
  async (t) => {
    // Verification is sent only a window's first and last events, those that break and those a
    // checkpoint names: each tampering here is in the middle of a window of 5,000, far from all four.
    const long = async () => {
      const clsmId = await bareClsm(db);
      const events = (count: number) =>
        sql`insert into audit_pending (clsm_id, type, outcome, resource_type, resource_id)
            select ${clsmId}::uuid, 'auth.logout', 'success', 'test', g::text
              from generate_series(1, ${count}::int) g`.execute(db);
      await events(6_000);
      await sql`select audit_seal(${clsmId})`.execute(db);
      // Vouches for seq 6,000, inside the window 5,001 to 10,000; the one at 12,000 ends the chain.
      await checkpointClsm(db, signer, clsmId);
      await events(6_000);
      await sql`select audit_seal(${clsmId})`.execute(db);
      await checkpointClsm(db, signer, clsmId);
      const file = JSON.parse(
        JSON.stringify(toCheckpointFile(clsmId, signer, await listCheckpoints(db, clsmId))),
      );
      return { clsmId, external: fromCheckpointFile(file) };
    };
    /** Recomputes the hashes from `from` to the end with the trigger's preimage, as an informed attacker would. */
    const rehash = (clsmId: string, from: number) =>
      tamper((o) =>
        sql`do $$ begin
            for s in ${sql.lit(from)}..12000 loop
              update audit_events e set prev_hash = p.hash from audit_events p
               where e.clsm_id = ${sql.lit(clsmId)} and e.seq = s and p.clsm_id = e.clsm_id and p.seq = s - 1;
              update audit_events e set hash = sha256(audit_preimage(e)) where e.clsm_id = ${sql.lit(clsmId)} and e.seq = s;
            end loop;
          end $$`.execute(o),
      );

    const modified = await long();
    await tamper((o) =>
      sql`update audit_events set resource_id = 'x' where clsm_id = ${modified.clsmId} and seq = 7777`.execute(
        o,
      ),
    );
    t.match(
      await verifyClsm(db, modified.clsmId),
      { ok: false, events: 7777, lastSeq: 7776, firstBadSeq: 7777, reason: 'modified' },
      'a changed field',
    );

    const unlinked = await long();
    // The event's own hash made to match again: only its link to the one before is wrong.
    await tamper(async (o) => {
      await sql`update audit_events set prev_hash = ${Buffer.alloc(32, 7)} where clsm_id = ${unlinked.clsmId} and seq = 7777`.execute(
        o,
      );
      await sql`update audit_events e set hash = sha256(audit_preimage(e)) where e.clsm_id = ${unlinked.clsmId} and e.seq = 7777`.execute(
        o,
      );
    });
    t.match(
      await verifyClsm(db, unlinked.clsmId),
      { ok: false, events: 7777, lastSeq: 7776, firstBadSeq: 7777, reason: 'unlinked' },
      'a link cut and its hash recomputed',
    );

    const moved = await long();
    await tamper((o) =>
      sql`update audit_events set seq = 20000 where clsm_id = ${moved.clsmId} and seq = 3333`.execute(o),
    );
    t.match(
      await verifyClsm(db, moved.clsmId),
      { ok: false, lastSeq: 3332, firstBadSeq: 3333, reason: 'missing', relatedSeq: 3334 },
      'an event moved to the end',
    );

    const rewritten = await long();
    await tamper((o) =>
      sql`update audit_events set resource_id = 'rewritten' where clsm_id = ${rewritten.clsmId} and seq = 5555`.execute(
        o,
      ),
    );
    await rehash(rewritten.clsmId, 5555);
    await tamper((o) => sql`delete from audit_checkpoints where clsm_id = ${rewritten.clsmId}`.execute(o));
    t.match(await verifyClsm(db, rewritten.clsmId), { ok: true }, 'the rehashed chain holds together');
    t.match(
      await verifyClsm(db, rewritten.clsmId, {
        publicKey: rewritten.external.publicKey,
        external: rewritten.external.checkpoints,
      }),
      { ok: false, events: 6000, lastSeq: 5999, firstBadSeq: 6000, reason: 'contradicted', relatedSeq: 0 },
      'the checkpoint held outside at seq 6,000, inside a window, contradicts it',
    );

    const later = await long();
    await tamper((o) =>
      sql`update audit_events set resource_id = 'rewritten' where clsm_id = ${later.clsmId} and seq = 8888`.execute(
        o,
      ),
    );
    await rehash(later.clsmId, 8888);
    t.match(
      await verifyClsm(db, later.clsmId, {
        publicKey: later.external.publicKey,
        external: later.external.checkpoints,
      }),
      { ok: false, firstBadSeq: 12000, reason: 'contradicted', relatedSeq: 6000, checkpointsChecked: 4 },
      'rewritten after the first checkpoint: the two at 6,000 (stored, held outside) match, the two at 12,000 do not',
    );
  },
);

t.test('a deleted event', async (t) => {
  const { clsmId } = await chainOf10();
  await tamper((o) => sql`delete from audit_events where clsm_id = ${clsmId} and seq = 6`.execute(o));
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey }), {
    ok: false,
    firstBadSeq: 6,
    reason: 'missing',
    relatedSeq: 7,
    problem: /missing/,
  });
});

t.test('two events swapped', async (t) => {
  const { clsmId } = await chainOf10();
  await tamper(async (o) => {
    await sql`update audit_events set seq = 1000 where clsm_id = ${clsmId} and seq = 5`.execute(o);
    await sql`update audit_events set seq = 5 where clsm_id = ${clsmId} and seq = 6`.execute(o);
    await sql`update audit_events set seq = 6 where clsm_id = ${clsmId} and seq = 1000`.execute(o);
  });
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey }), {
    ok: false,
    firstBadSeq: 5,
    reason: 'unlinked',
  });
});

t.test(
  'a rewritten, re-hashed chain with forged events appended: only a checkpoint held outside sees it',
  async (t) => {
    const { clsmId, external } = await chainOf10();
    await tamper(async (o) => {
      await sql`update audit_events set resource_id = 'rewritten' where clsm_id = ${clsmId} and seq = 3`.execute(
        o,
      );
      // Recompute every hash from the altered event on, as an informed attacker would, with the
      // trigger's own preimage.
      for (let seq = 3; seq <= 10; seq++) {
        await sql`update audit_events e set prev_hash = p.hash from audit_events p
                   where e.clsm_id = ${clsmId} and e.seq = ${seq} and p.clsm_id = e.clsm_id and p.seq = e.seq - 1`.execute(
          o,
        );
        await sql`update audit_events e set hash = sha256(audit_preimage(e))
                   where e.clsm_id = ${clsmId} and e.seq = ${seq}`.execute(o);
      }
      // ...and removes the checkpoints stored in the database, which no longer match.
      await sql`delete from audit_checkpoints where clsm_id = ${clsmId}`.execute(o);
    });
    await auditedWrite(db, clsmId, 11);
    await auditedWrite(db, clsmId, 12);
    await eventsSealed(db);
    t.match(
      await verifyClsm(db, clsmId, { publicKey: signer.publicKey }),
      { ok: true },
      'the database alone cannot tell',
    );
    t.match(await verifyClsm(db, clsmId, { publicKey: external.publicKey, external: external.checkpoints }), {
      ok: false,
      firstBadSeq: 10,
      reason: 'contradicted',
      relatedSeq: 0,
      problem: /rewritten at or before that event/,
    });
  },
);

t.test('a truncated tail, seen by the stored checkpoint and by the one held outside', async (t) => {
  const { clsmId, external } = await chainOf10();
  await tamper((o) => sql`delete from audit_events where clsm_id = ${clsmId} and seq >= 8`.execute(o));
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey }), {
    ok: false,
    firstBadSeq: 8,
    reason: 'cut',
    relatedSeq: 10,
    problem: /tail was cut/,
  });
  await tamper((o) => sql`delete from audit_checkpoints where clsm_id = ${clsmId}`.execute(o));
  t.match(await verifyClsm(db, clsmId, { publicKey: external.publicKey, external: external.checkpoints }), {
    ok: false,
    firstBadSeq: 8,
  });
});

t.test('a checkpoint forged with another key is not trusted', async (t) => {
  const { clsmId } = await chainOf10();
  const forger = generateKeyPairSync('ed25519').privateKey;
  await auditedWrite(db, clsmId, 11);
  await checkpointClsm(
    db,
    {
      keyId: keyIdOf(forger),
      publicKey: rawPublicKey(forger),
      privateKey: forger,
      witness: fileWitness(path.join(await scratchDir('forger'), 'witness.jsonl')),
    },
    clsmId,
  );
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey }), {
    ok: false,
    firstBadSeq: 11,
    reason: 'unsigned',
    problem: /not signed by the trusted audit key/,
  });
});

t.test('UPDATE, DELETE and TRUNCATE are refused even to the owner while the triggers are on', async (t) => {
  const { clsmId } = await chainOf10();
  await asOwner(tdb, async (o) => {
    await t.rejects(
      sql`update audit_events set type = 'auth.login' where clsm_id = ${clsmId}`.execute(o),
      /append-only/,
    );
    await t.rejects(sql`delete from audit_events where clsm_id = ${clsmId}`.execute(o), /append-only/);
    await t.rejects(sql`truncate audit_events cascade`.execute(o), /append-only/);
    await t.rejects(sql`truncate audit_checkpoints`.execute(o), /audit_checkpoints is append-only/);
    await t.rejects(sql`delete from audit_checkpoints where clsm_id = ${clsmId}`.execute(o), /append-only/);
  });
  t.ok((await verifyClsm(db, clsmId)).ok);
});

t.test('every signed checkpoint is appended to the witness file, readable by its owner only', async (t) => {
  const { clsmId } = await chainOf10();
  const witnessed = (await readWitnessFile(witnessFile)).filter((cp) => cp.clsmId === clsmId);
  const stored = await listCheckpoints(db, clsmId);
  t.equal(witnessed.length, 1);
  t.same(
    witnessed.map((cp) => [cp.seq, cp.hash.toString('hex'), cp.signature.toString('hex')]),
    stored.map((cp) => [cp.seq, cp.hash.toString('hex'), cp.signature.toString('hex')]),
    'the same checkpoint as in the database',
  );
  t.equal(((await stat(witnessFile)).mode & 0o777).toString(8), '600');
});

t.test('the owner cuts the tail and every checkpoint: the witness still shows it', async (t) => {
  const { clsmId } = await chainOf10();
  await tamper(async (o) => {
    await sql`delete from audit_events where clsm_id = ${clsmId} and seq >= 6`.execute(o);
    await sql`truncate audit_checkpoints`.execute(o);
  });
  t.match(
    await verifyClsm(db, clsmId, { publicKey: signer.publicKey }),
    { ok: true, events: 5 },
    'the database alone no longer knows',
  );
  const witness = (await readWitnessFile(witnessFile)).filter((cp) => cp.clsmId === clsmId);
  t.match(await verifyClsm(db, clsmId, { publicKey: signer.publicKey, external: witness }), {
    ok: false,
    firstBadSeq: 6,
    problem: /tail was cut/,
  });

  await tamper((o) => sql`delete from audit_events where clsm_id = ${clsmId}`.execute(o));
  const verdicts = await verifyAll(db, {
    publicKey: signer.publicKey,
    external: await readWitnessFile(witnessFile),
  });
  t.match(
    verdicts.find((v) => v.clsmId === clsmId),
    { ok: false, events: 0, firstBadSeq: 1 },
    'a CLSM whose whole log was deleted is still verified, and found cut',
  );
});

t.test('every trigger function runs with a fixed search_path', async (t) => {
  const loose = await asOwner(tdb, async (o) =>
    (
      await sql<{ fn: string }>`
        select p.oid::regprocedure::text as fn
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where p.prorettype = 'trigger'::regtype and n.nspname in ('public', 'stats')
           and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`.execute(
        o,
      )
    ).rows.map((r) => r.fn),
  );
  t.same(loose, []);
});
