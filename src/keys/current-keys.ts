import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { memberKeysMessage } from '../crypto/messages.js';

export interface CurrentKeys {
  version: number;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
  selfSignature: Buffer;
}

/** A member's current device keys: the newest version they registered, if any. */
export async function currentKeysOf(
  trx: Transaction<Database>,
  member: { clsmId: string; memberId: string },
): Promise<CurrentKeys | undefined> {
  const row = await trx
    .selectFrom('member_keys')
    .select(['version', 'sign_public_key', 'box_public_key', 'self_signature'])
    .where('clsm_id', '=', member.clsmId)
    .where('member_id', '=', member.memberId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        version: row.version,
        signPublicKey: row.sign_public_key,
        boxPublicKey: row.box_public_key,
        selfSignature: row.self_signature,
      };
}

/**
 * Whether registered keys are self-signed for this member of this CLSM, by the rules every client
 * applies before sealing anything to them. Enrollment lets no other keys in; keys that got into the
 * table another way are never sealed to by a client, so they are owed no grant either.
 */
export function keysSelfSigned(member: { clsmId: string; memberId: string }, keys: CurrentKeys): boolean {
  return verifyEd25519(
    keys.signPublicKey,
    memberKeysMessage(member, keys.signPublicKey, keys.boxPublicKey, keys.version),
    keys.selfSignature,
  );
}

/**
 * Whether these keys are certified in the CLSM's directory log (docs/adr/0016): clients seal only
 * to certified keys, so a member whose current keys are not is owed no grant either. The log was
 * checked statement by statement as it was written (src/directory/sign.ts).
 */
export async function keysCertified(
  trx: Transaction<Database>,
  member: { clsmId: string; memberId: string },
  keys: CurrentKeys,
): Promise<boolean> {
  const row = await trx
    .selectFrom('directory_entries')
    .select('seq')
    .where('clsm_id', '=', member.clsmId)
    .where('subject_id', '=', member.memberId)
    .where('kind', 'in', ['root', 'certify', 'device'])
    .where('key_version', '=', keys.version)
    .where('sign_public_key', '=', keys.signPublicKey)
    .where('box_public_key', '=', keys.boxPublicKey)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
