import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { afterTimeAndId, microText, type TimeAndId } from '../http/paging.js';
import type { Role } from '../kernel/roles.js';

export interface MemberKeys {
  version: number;
  signPublicKey: Buffer;
  boxPublicKey: Buffer;
  selfSignature: Buffer;
}

export interface MemberEntry {
  id: string;
  /** When they were invited, to the microsecond: the directory's order (then the id). */
  listedAt: string;
  role: Role;
  organisation: string;
  displayName: string;
  status: 'active' | 'suspended';
  invitationId: string | null;
  keys: MemberKeys | undefined;
}

/**
 * One page of the CLSM's directory of professionals with their current public keys (for grants and
 * fingerprints): `limit + 1` members after `after`, oldest first.
 */
export async function listMembers(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  page: { after: TimeAndId | undefined; limit: number },
): Promise<MemberEntry[]> {
  authorize(policies, caller, { kind: 'clsm', action: 'member.list' });
  let q = db
    .selectFrom('members as m')
    .leftJoin('member_keys as k', (j) =>
      j
        .onRef('k.clsm_id', '=', 'm.clsm_id')
        .onRef('k.member_id', '=', 'm.id')
        .on('k.version', '=', (eb) =>
          eb
            .selectFrom('member_keys as k2')
            .select((e) => e.fn.max('k2.version').as('v'))
            .whereRef('k2.clsm_id', '=', 'm.clsm_id')
            .whereRef('k2.member_id', '=', 'm.id'),
        ),
    )
    .select([
      'm.id',
      'm.role',
      'm.organisation',
      'm.display_name',
      'm.status',
      microText('m.created_at').as('at'),
    ])
    .select(['k.version', 'k.sign_public_key', 'k.box_public_key', 'k.self_signature'])
    .select((eb) =>
      eb
        .selectFrom('enrollment_codes as c')
        .select('c.id')
        .whereRef('c.clsm_id', '=', 'm.clsm_id')
        .whereRef('c.used_by', '=', 'm.id')
        .where('c.purpose', '=', 'enroll')
        .limit(1)
        .as('invitation_id'),
    )
    .where('m.clsm_id', '=', caller.clsmId);
  if (page.after !== undefined) q = q.where(afterTimeAndId('m.created_at', 'm.id', page.after));
  const rows = await q
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(page.limit + 1)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    listedAt: r.at,
    role: r.role,
    organisation: r.organisation,
    displayName: r.display_name,
    status: r.status,
    invitationId: r.invitation_id,
    keys:
      r.version === null ||
      r.sign_public_key === null ||
      r.box_public_key === null ||
      r.self_signature === null
        ? undefined
        : {
            version: r.version,
            signPublicKey: r.sign_public_key,
            boxPublicKey: r.box_public_key,
            selfSignature: r.self_signature,
          },
  }));
}
