import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Principal } from '../http/caller.js';
import { compiledOnce } from '../db/compiled-once.js';

/** Whether the member accepted the latest charter version their CLSM published. */
const charterAccepted = (clsm: string, member: string) => sql<boolean>`exists (
  select 1 from charter_acceptances a
  where a.clsm_id = ${sql.ref(clsm)} and a.member_id = ${sql.ref(member)}
    and a.version = (select max(p.version) from charter_publications p where p.clsm_id = ${sql.ref(clsm)}))`;

export type Refusal =
  | 'SESSION_REVOKED'
  | 'MEMBER_SUSPENDED'
  | 'MEMBER_UNKNOWN'
  | 'TOKEN_REVOKED'
  /** The statistics server only learns that the session or member is not valid, not why. */
  | 'PRINCIPAL_INVALID';

const sessionAndMember = compiledOnce(['clsmId', 'sessionId', 'memberId'], (db, claims: SessionClaims) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('members as m', (j) =>
      j.onRef('m.clsm_id', '=', 's.clsm_id').onRef('m.id', '=', 's.member_id'),
    )
    .select(['m.role', 'm.organisation', 'm.status', 's.revoked_at', 's.expires_at'])
    .select(charterAccepted('m.clsm_id', 'm.id').as('charter_accepted'))
    .where('s.clsm_id', '=', claims.clsmId)
    .where('s.id', '=', claims.sessionId)
    .where('s.member_id', '=', claims.memberId),
);

interface SessionClaims extends Record<string, unknown> {
  clsmId: string;
  memberId: string;
  sessionId: string;
}

/** One query: the session (built-in) and the member must both still be valid. */
export async function loadSessionPrincipal(
  db: Kysely<Database>,
  claims: SessionClaims & { expiresAt: Date },
  now: Date,
): Promise<Principal | Refusal> {
  const row = (await sessionAndMember(db, claims)).rows[0];
  if (row === undefined) return 'MEMBER_UNKNOWN';
  if (row.status !== 'active') return 'MEMBER_SUSPENDED';
  if (row.revoked_at !== null || row.expires_at <= now) return 'SESSION_REVOKED';
  return {
    clsmId: claims.clsmId,
    memberId: claims.memberId,
    role: row.role,
    organisation: row.organisation,
    charterAccepted: row.charter_accepted,
    sessionId: claims.sessionId,
    tokenHash: undefined,
    tokenExpiresAt: claims.expiresAt,
  };
}

/**
 * One query: the member bound to this OIDC subject, unless the token was logged out or issued
 * before a recovery replaced the member's device keys (a session of the replaced device, in effect).
 */
export async function loadOidcPrincipal(
  db: Kysely<Database>,
  claims: { subject: string; tokenHash: Buffer; issuedAt: Date; expiresAt: Date },
): Promise<Principal | Refusal> {
  const row = await db
    .selectFrom('members as m')
    .leftJoin('revoked_tokens as r', (j) => j.on('r.token_hash', '=', claims.tokenHash))
    .select(['m.clsm_id', 'm.id', 'm.role', 'm.organisation', 'm.status', 'm.keys_replaced_at'])
    .select('r.token_hash as revoked')
    .select(charterAccepted('m.clsm_id', 'm.id').as('charter_accepted'))
    .where('m.oidc_subject', '=', claims.subject)
    .executeTakeFirst();
  if (row === undefined) return 'MEMBER_UNKNOWN';
  if (row.status !== 'active') return 'MEMBER_SUSPENDED';
  if (row.revoked !== null) return 'TOKEN_REVOKED';
  // iat has a resolution of one second: a token of the same second as the replacement goes too.
  if (row.keys_replaced_at !== null && claims.issuedAt.getTime() <= row.keys_replaced_at.getTime())
    return 'TOKEN_REVOKED';
  return {
    clsmId: row.clsm_id,
    memberId: row.id,
    role: row.role,
    organisation: row.organisation,
    charterAccepted: row.charter_accepted,
    sessionId: undefined,
    tokenHash: claims.tokenHash,
    tokenExpiresAt: claims.expiresAt,
  };
}
