import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
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
import { eventHash, type ChainedEvent } from '../../src/audit/hash.js';
import { keyIdOf } from '../../src/auth/tokens.js';
import { rawPublicKey } from '../../src/util/server-ed25519.js';
import { fileWitness, readWitnessFile } from '../../src/audit/witness.js';
import { scratchDir } from '../helpers/paths.js';

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
      // Recompute every hash from the altered event on, as an informed attacker would.
      const rows = (await o
        .selectFrom('audit_events')
        .selectAll()
        .where('clsm_id', '=', clsmId)
        .where('seq', '>=', 2)
        .orderBy('seq')
        .execute()) as ChainedEvent[];
      let prev = rows[0]!.hash;
      for (const row of rows.slice(1)) {
        const hash = eventHash({ ...row, prev_hash: prev });
        await o
          .updateTable('audit_events')
          .set({ prev_hash: prev, hash })
          .where('clsm_id', '=', clsmId)
          .where('seq', '=', row.seq)
          .execute();
        prev = hash;
      }
      // ...and removes the checkpoints stored in the database, which no longer match.
      await sql`delete from audit_checkpoints where clsm_id = ${clsmId}`.execute(o);
    });
    await auditedWrite(db, clsmId, 11);
    await auditedWrite(db, clsmId, 12);
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
