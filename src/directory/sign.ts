import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { inUnit } from '../unit-of-work/unit.js';
import type { AuditSink } from '../unit-of-work/audit-buffer.js';
import { by, type AuditEvent, type AuditEventType } from '../kernel/audit-events.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import type { ErrorCode } from '../kernel/errors.js';
import { ROLES, type Role } from '../kernel/roles.js';
import { statementHash, type DirectoryKind, type SignedStatement } from '../crypto/directory-statements.js';
import {
  DirectoryError,
  equalBytes,
  extendDirectory,
  replayDirectory,
  type DirectoryRefusal,
} from '../crypto/directory-replay.js';
import { revokeAllGrants } from '../keys/revocation.js';
import { readDirectory } from './log.js';
import { personInvitation } from '../cases/person-invitation.js';

// A coordinator's signed statement joins the CLSM's directory log (docs/adr/0016). Under the CLSM's
// lock, the server replays the log with the statement appended (the same function every client
// runs), checks the statement against its own records (a certificate names the keys the member
// registered and the role, organisation and name they were invited with), stores it and applies
// its effect to `members`, with its audit event, in one transaction. A refusal is audited.

const EVENT: Record<DirectoryKind, AuditEventType> = {
  root: 'directory.root_signed',
  certify: 'member.certified',
  role: 'member.role_changed',
  suspend: 'member.suspended',
  reinstate: 'member.reinstated',
  device: 'member.keys_certified',
};

/** The advisory lock namespace of directory logs ('CLSD'); the audit chain's is 'CLSM'. */
const DIRECTORY_LOCK = 1129075524;

const REFUSAL_CODE: Partial<Record<DirectoryRefusal, ErrorCode>> = {
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  NOT_A_COORDINATOR: 'FORBIDDEN',
  MALFORMED: 'VALIDATION_FAILED',
  UNKNOWN_ROLE: 'VALIDATION_FAILED',
};

/** The statement as the caller sent it: the CLSM and author are the caller's own. */
export type PostedStatement = Omit<SignedStatement, 'clsmId' | 'authorId'>;

export async function signDirectoryStatement(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  posted: PostedStatement,
): Promise<{ seq: number; hash: Uint8Array }> {
  const statement: SignedStatement = { ...posted, clsmId: caller.clsmId, authorId: caller.memberId };
  const refused = (code: ErrorCode, detail: string) =>
    new AuditedRefusal(code, detail, event(caller, statement, 'denied', code));
  return inUnit(db, async (trx, audit) => {
    authorize(policies, caller, { kind: 'clsm', action: `directory.${statement.kind}` });
    // One writer per CLSM: the log is a chain, and a statement is checked against its head.
    await sql`select pg_advisory_xact_lock(${DIRECTORY_LOCK}, hashtext(${caller.clsmId}))`.execute(trx);
    const options = { clsmId: caller.clsmId, roles: ROLES };
    const before = await replayDirectory(await readDirectory(trx, caller.clsmId), options);
    try {
      await extendDirectory(before, [statement], options);
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      // A statement that lost the race to the head, or that the state of the log rules out, conflicts.
      throw refused(REFUSAL_CODE[err.reason] ?? 'CONFLICT', err.message);
    }
    const mismatch = await checkAgainstRecords(trx, statement);
    if (mismatch !== undefined) throw refused('CONFLICT', mismatch);
    const hash = await statementHash(statement);
    await trx
      .insertInto('directory_entries')
      .values({
        clsm_id: statement.clsmId,
        seq: statement.seq,
        prev_hash: buf(statement.prevHash),
        kind: statement.kind,
        author_id: statement.authorId,
        subject_id: statement.subjectId,
        role: statement.role,
        organisation: statement.organisation,
        display_name: statement.displayName,
        sign_public_key: buf(statement.signPublicKey),
        box_public_key: buf(statement.boxPublicKey),
        key_version: statement.keyVersion,
        signature: Buffer.from(statement.signature),
        hash: Buffer.from(hash),
      })
      .execute();
    await applyEffect(trx, audit, caller, statement);
    audit.audit(event(caller, statement, 'success'));
    return { seq: statement.seq, hash };
  });
}

/** What the server knows that the log does not: the keys the member registered, the invitation's card. */
async function checkAgainstRecords(
  trx: Transaction<Database>,
  s: SignedStatement,
): Promise<string | undefined> {
  const member = await trx
    .selectFrom('members')
    .select(['role', 'organisation', 'display_name', 'status'])
    .where('clsm_id', '=', s.clsmId)
    .where('id', '=', s.subjectId)
    .executeTakeFirst();
  if (member === undefined) return 'this member is not registered in this CLSM';
  if (s.kind === 'root' || s.kind === 'certify') {
    if (
      s.role !== member.role ||
      s.organisation !== member.organisation ||
      s.displayName !== member.display_name
    )
      return 'the role, organisation and name must be the ones the member was invited with';
    if (member.status !== 'active') return 'a suspended member is not certified';
    if (s.kind === 'certify' && s.role === 'person') {
      const invitation = await personInvitation(trx, s.clsmId, s.subjectId);
      if (invitation === undefined) return 'this person was not invited from a situation';
      if (invitation.invitedBy !== s.authorId && !(await isCoordinator(trx, s.clsmId, s.authorId)))
        return 'the person is certified by whoever invited them, with them present, or by a coordinator';
    }
  }
  if (s.kind === 'root' || s.kind === 'certify' || s.kind === 'device') {
    const keys = await trx
      .selectFrom('member_keys')
      .select(['version', 'sign_public_key', 'box_public_key'])
      .where('clsm_id', '=', s.clsmId)
      .where('member_id', '=', s.subjectId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (
      keys === undefined ||
      keys.version !== s.keyVersion ||
      !equalBytes(keys.sign_public_key, s.signPublicKey ?? new Uint8Array()) ||
      !equalBytes(keys.box_public_key, s.boxPublicKey ?? new Uint8Array())
    )
      return "the keys must be the member's latest registered keys";
  }
  return undefined;
}

async function isCoordinator(trx: Transaction<Database>, clsmId: string, memberId: string): Promise<boolean> {
  const member = await trx
    .selectFrom('members')
    .select('role')
    .where('clsm_id', '=', clsmId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  return member?.role === 'coordinator';
}

async function applyEffect(
  trx: Transaction<Database>,
  audit: AuditSink,
  caller: Caller,
  s: SignedStatement,
): Promise<void> {
  const now = new Date();
  if (s.kind === 'role') {
    await trx
      .updateTable('members')
      .set({ role: s.role as Role })
      .where('clsm_id', '=', s.clsmId)
      .where('id', '=', s.subjectId)
      .execute();
    // What a role may hold changes with it: keys go, and come back from the situations' participants.
    await revokeAllGrants(trx, audit, by(caller), s.subjectId);
  } else if (s.kind === 'suspend') {
    await trx
      .updateTable('members')
      .set({ status: 'suspended', suspended_at: now })
      .where('clsm_id', '=', s.clsmId)
      .where('id', '=', s.subjectId)
      .execute();
    // Suspension takes effect on the member's very next request, and the keys they hold go too:
    // what is written after it is out of their reach.
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('clsm_id', '=', s.clsmId)
      .where('member_id', '=', s.subjectId)
      .where('revoked_at', 'is', null)
      .execute();
    await revokeAllGrants(trx, audit, by(caller), s.subjectId);
  } else if (s.kind === 'reinstate') {
    await trx
      .updateTable('members')
      .set({ status: 'active', suspended_at: null })
      .where('clsm_id', '=', s.clsmId)
      .where('id', '=', s.subjectId)
      .execute();
  }
}

function event(
  caller: Caller,
  s: SignedStatement,
  outcome: 'success' | 'denied',
  reason?: string,
): AuditEvent {
  return {
    ...by(caller),
    type: EVENT[s.kind],
    outcome,
    ...(reason === undefined ? {} : { reason }),
    resourceType: 'directory',
    resourceId: String(s.seq),
    subjectId: s.subjectId,
    ...(s.keyVersion === null ? {} : { keyVersion: s.keyVersion }),
  };
}

const buf = (b: Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b));
