import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface CurrentKeys {
  version: number;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
}

/** A member's current device keys: the newest version they registered, if any. */
export async function currentKeysOf(
  trx: Transaction<Database>,
  member: { clsmId: string; memberId: string },
): Promise<CurrentKeys | undefined> {
  const row = await trx
    .selectFrom('member_keys')
    .select(['version', 'sign_public_key', 'box_public_key'])
    .where('clsm_id', '=', member.clsmId)
    .where('member_id', '=', member.memberId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { version: row.version, signPublicKey: row.sign_public_key, boxPublicKey: row.box_public_key };
}
