import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by, PLATFORM_CLSM, type AuditEvent } from '../kernel/audit-events.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { loginMessage } from '../crypto/messages.js';
import type { Caller } from '../access/authorize.js';
import type { Principal } from '../http/caller.js';
import type { TokenIssuer } from './tokens.js';

// Built-in login: the server sends a random nonce, the member's device signs it with its Ed25519
// key, the server checks the signature against the registered key and opens a session.

const CHALLENGE_TTL_MS = 60_000;

export interface Challenge {
  challengeId: string;
  nonce: Buffer;
  expiresAt: Date;
}

/**
 * Always answers with a challenge, so that the answer does not tell whether the member exists;
 * only a challenge for an active member is stored, so the others can never be answered.
 */
export async function createChallenge(
  db: Kysely<Database>,
  clsmId: string,
  memberId: string,
): Promise<Challenge> {
  const challenge = {
    challengeId: randomUUID(),
    nonce: randomBytes(32),
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  };
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('auth_challenges').where('expires_at', '<', new Date()).execute();
    const member = await trx
      .selectFrom('members')
      .select('id')
      .where('clsm_id', '=', clsmId)
      .where('id', '=', memberId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (member === undefined) return;
    await trx
      .insertInto('auth_challenges')
      .values({
        clsm_id: clsmId,
        id: challenge.challengeId,
        member_id: memberId,
        nonce: challenge.nonce,
        expires_at: challenge.expiresAt,
      })
      .execute();
  });
  return challenge;
}

export interface LoginInput {
  clsmId: string;
  memberId: string;
  challengeId: string;
  signature: Buffer;
  requestId: string;
}

export async function login(
  db: Kysely<Database>,
  tokens: TokenIssuer,
  input: LoginInput,
): Promise<{ token: string; expiresAt: Date }> {
  const failed = (reason: string, known: boolean): AuditedRefusal => {
    const event: AuditEvent = {
      clsmId: known ? input.clsmId : PLATFORM_CLSM,
      type: 'auth.login_failed',
      outcome: 'denied',
      reason,
      ...(known ? { actorId: input.memberId } : {}),
      requestId: input.requestId,
    };
    return new AuditedRefusal(
      'LOGIN_FAILED',
      'login failed: request a new challenge and sign it with your device key',
      event,
    );
  };
  // Consumed in a statement of its own, so that a failed attempt cannot be retried with it.
  const row = await db
    .deleteFrom('auth_challenges')
    .where('clsm_id', '=', input.clsmId)
    .where('id', '=', input.challengeId)
    .where('member_id', '=', input.memberId)
    .returning(['nonce', 'expires_at'])
    .executeTakeFirst();
  return db.transaction().execute(async (trx) => {
    if (row === undefined) throw failed('CHALLENGE_UNKNOWN', false);
    if (row.expires_at <= new Date()) throw failed('CHALLENGE_EXPIRED', true);
    const member = await trx
      .selectFrom('members as m')
      .innerJoin('member_keys as k', (j) =>
        j.onRef('k.clsm_id', '=', 'm.clsm_id').onRef('k.member_id', '=', 'm.id'),
      )
      .select(['m.role', 'm.status', 'k.sign_public_key'])
      .where('m.clsm_id', '=', input.clsmId)
      .where('m.id', '=', input.memberId)
      .orderBy('k.version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (member === undefined || member.status !== 'active') throw failed('MEMBER_SUSPENDED', true);
    const message = loginMessage(input.clsmId, input.memberId, input.challengeId, row.nonce);
    if (!verifyEd25519(member.sign_public_key, message, input.signature)) throw failed('BAD_SIGNATURE', true);

    const sessionId = randomUUID();
    const issued = tokens.issue({ clsmId: input.clsmId, memberId: input.memberId, sessionId });
    await trx
      .insertInto('sessions')
      .values({
        clsm_id: input.clsmId,
        id: sessionId,
        member_id: input.memberId,
        expires_at: issued.expiresAt,
        revoked_at: null,
      })
      .execute();
    await appendAudit(trx, {
      clsmId: input.clsmId,
      type: 'auth.login',
      outcome: 'success',
      actorId: input.memberId,
      actorRole: member.role,
      resourceType: 'session',
      resourceId: sessionId,
      requestId: input.requestId,
    });
    return issued;
  });
}

/** Ends the caller's session (built-in) or records the token as revoked until it expires (OIDC). */
export async function logout(db: Kysely<Database>, caller: Caller, principal: Principal): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (principal.sessionId !== undefined) {
      await trx
        .updateTable('sessions')
        .set({ revoked_at: new Date() })
        .where('clsm_id', '=', principal.clsmId)
        .where('id', '=', principal.sessionId)
        .execute();
    }
    if (principal.tokenHash !== undefined) {
      await trx.deleteFrom('revoked_tokens').where('expires_at', '<', new Date()).execute();
      await trx
        .insertInto('revoked_tokens')
        .values({
          token_hash: principal.tokenHash,
          clsm_id: principal.clsmId,
          expires_at: principal.tokenExpiresAt,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await appendAudit(trx, {
      ...by(caller),
      type: 'auth.logout',
      outcome: 'success',
      resourceType: 'session',
      ...(principal.sessionId ? { resourceId: principal.sessionId } : {}),
    });
  });
}
