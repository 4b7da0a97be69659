import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditSigner } from './signer.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';

// What every client checks its memory against: the latest signed checkpoint of its CLSM, and the
// hash the log holds today at the seq the client last saw vouched for. A client that remembers
// (seq, hash) refuses a head below it or another hash at it: a cut or rewritten log shows on
// every device that saw it before, whatever the database now says.

export interface AuditHead {
  checkpoint: {
    seq: number;
    hash: string;
    signedAt: string;
    keyId: string;
    publicKey: string;
    signature: string;
  } | null;
  known: { seq: number; hash: string | null } | null;
}

export async function auditHead(
  db: Kysely<Database>,
  policies: PolicyEngine,
  signer: Pick<AuditSigner, 'publicKey'>,
  caller: Caller,
  knownSeq: number | undefined,
): Promise<AuditHead> {
  authorize(policies, caller, { kind: 'clsm', action: 'audit.head' });
  const latest = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('clsm_id', '=', caller.clsmId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const at =
    knownSeq === undefined
      ? undefined
      : await db
          .selectFrom('audit_events')
          .select('hash')
          .where('clsm_id', '=', caller.clsmId)
          .where('seq', '=', knownSeq)
          .executeTakeFirst();
  return {
    checkpoint:
      latest === undefined
        ? null
        : {
            seq: latest.seq,
            hash: latest.hash.toString('base64'),
            signedAt: latest.signed_at.toISOString(),
            keyId: latest.key_id,
            publicKey: signer.publicKey.toString('base64'),
            signature: latest.signature.toString('base64'),
          },
    known: knownSeq === undefined ? null : { seq: knownSeq, hash: at?.hash.toString('base64') ?? null },
  };
}
