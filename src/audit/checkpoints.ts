import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { AuditSigner, Checkpoint } from './signer.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { signEd25519 } from '../util/server-ed25519.js';
import { sealLeftEvents } from '../db/seal-after-commit.js';
import { checkpointMessage } from '../crypto/messages.js';
import { checkpointFileSchema } from './wire-schema.js';

// Signed checkpoints: the server vouches, with a key that lives outside the database, for the head
// of a CLSM's chain at a moment. Held by a party outside the database, they reveal a rewritten
// or truncated log even if whoever rewrote it also recomputed every hash.

export function checkpointSignatureValid(cp: Checkpoint, publicKey: Buffer): boolean {
  return verifyEd25519(
    publicKey,
    checkpointMessage(cp.clsmId, cp.seq, cp.hash, cp.signedAt.getTime()),
    cp.signature,
  );
}

/**
 * Signs the current head of one CLSM's chain, unless it is already checkpointed, and publishes it;
 * first seals any event of the CLSM whose action's connection could not (docs/adr/0032).
 */
export async function checkpointClsm(
  db: Kysely<Database>,
  signer: AuditSigner,
  clsmId: string,
): Promise<Checkpoint | undefined> {
  await sql`select audit_seal(${clsmId})`.execute(db);
  const head = await db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('clsm_id', '=', clsmId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (head === undefined) return undefined;
  const signedAt = new Date();
  const signature = signEd25519(
    signer.privateKey,
    checkpointMessage(clsmId, head.seq, head.hash, signedAt.getTime()),
  );
  const inserted = await db
    .insertInto('audit_checkpoints')
    .values({
      clsm_id: clsmId,
      seq: head.seq,
      hash: head.hash,
      signed_at: signedAt,
      key_id: signer.keyId,
      signature,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('seq')
    .executeTakeFirst();
  if (inserted === undefined) return undefined;
  const cp = { clsmId, seq: head.seq, hash: head.hash, signedAt, keyId: signer.keyId, signature };
  // Published once stored: a checkpoint the witness lacks would be one the owner could drop unseen.
  await signer.witness.publish(cp, signer.publicKey);
  return cp;
}

/** The periodic job: a checkpoint for every CLSM whose chain moved since its last one. */
export async function checkpointAll(db: Kysely<Database>, signer: AuditSigner): Promise<number> {
  await sealLeftEvents(db);
  const moved = await db
    .selectFrom('audit_events as e')
    .select('e.clsm_id')
    .groupBy('e.clsm_id')
    .having((eb) =>
      eb(
        eb.fn.max('e.seq'),
        '>',
        eb.fn.coalesce(
          eb
            .selectFrom('audit_checkpoints as c')
            .select((x) => x.fn.max('c.seq').as('m'))
            .whereRef('c.clsm_id', '=', 'e.clsm_id'),
          eb.lit(0),
        ),
      ),
    )
    .execute();
  let signed = 0;
  for (const { clsm_id } of moved) {
    if ((await checkpointClsm(db, signer, clsm_id)) !== undefined) signed += 1;
  }
  return signed;
}

export async function listCheckpoints(db: Kysely<Database>, clsmId: string): Promise<Checkpoint[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('clsm_id', '=', clsmId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    clsmId: r.clsm_id,
    seq: r.seq,
    hash: r.hash,
    signedAt: r.signed_at,
    keyId: r.key_id,
    signature: r.signature,
  }));
}

/** The portable form handed to a party outside the database: self-describing, with the public key. */
export type CheckpointFile = z.output<typeof checkpointFileSchema>;

export function toCheckpointFile(
  clsmId: string,
  signer: Pick<AuditSigner, 'keyId' | 'publicKey'>,
  cps: Checkpoint[],
): CheckpointFile {
  return {
    format: 'clsm-audit-checkpoints/1',
    tenant: clsmId,
    keyId: signer.keyId,
    publicKey: signer.publicKey.toString('base64'),
    checkpoints: cps.map((c) => ({
      seq: c.seq,
      hash: c.hash.toString('base64'),
      signedAt: c.signedAt.toISOString(),
      signature: c.signature.toString('base64'),
    })),
  };
}

/** Reads a checkpoint file (untrusted input: it comes from disk or from another party). */
export function fromCheckpointFile(input: unknown): { publicKey: Buffer; checkpoints: Checkpoint[] } {
  const parsed = checkpointFileSchema.safeParse(input);
  if (!parsed.success) throw new Error('not a checkpoint file (format clsm-audit-checkpoints/1)');
  const file = parsed.data;
  return {
    publicKey: Buffer.from(file.publicKey, 'base64'),
    checkpoints: file.checkpoints.map((c) => ({
      clsmId: file.tenant,
      seq: c.seq,
      hash: Buffer.from(c.hash, 'base64'),
      signedAt: new Date(c.signedAt),
      keyId: file.keyId,
      signature: Buffer.from(c.signature, 'base64'),
    })),
  };
}
