import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import type { Action } from '../kernel/actions.js';
import { by } from '../kernel/audit-events.js';
import { AppError, type ErrorCode } from '../kernel/errors.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import {
  caseLogHash,
  caseLogMessage,
  type CaseLogChange,
  type SignedCaseLogStatement,
} from '../crypto/case-log-statements.js';
import { equalBytes } from '../crypto/directory-replay.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { fromBase64 } from '../crypto/encoding.js';
import { caseLogHead } from './log.js';
import type { LogSealWire } from './wire-schema.js';

// An action that changes who may hold a situation's keys carries its membership log statement,
// signed by the caller's device. The server writes the statement itself from the action (what it
// does, to whom, as the request asked it): the caller's signature must cover exactly that, in the
// next place of the log (its seq is returned); otherwise the action is refused and the refusal audited. Called inside the
// action's unit of work, so the action and its statement are stored together or not at all.

/** The advisory lock namespace of membership logs ('CLSL'): one writer per situation's log. */
const CASE_LOG_LOCK = 1129075532;

export interface LogTarget {
  caller: Caller;
  caseId: string;
  /** The action refused, if the statement is: what its audit event names. */
  action: Action;
}

export async function appendCaseLog(
  trx: Transaction<Database>,
  target: LogTarget,
  change: CaseLogChange,
  seal: LogSealWire | undefined,
): Promise<number> {
  const { caller, caseId, action } = target;
  const refused = (code: ErrorCode, detail: string) =>
    new AuditedRefusal(code, detail, {
      ...by(caller),
      type: 'access.denied',
      outcome: 'denied',
      reason: code,
      action,
      resourceType: 'case',
      resourceId: caseId,
      caseId,
    });
  if (seal === undefined)
    throw refused(
      'VALIDATION_FAILED',
      "this change is recorded in the situation's membership log: sign its statement (the `log` field)",
    );
  await sql`select pg_advisory_xact_lock(${CASE_LOG_LOCK}, hashtext(${caseId}))`.execute(trx);
  const head = await caseLogHead(trx, caller.clsmId, caseId);
  const prevHash = seal.prevHash === null ? null : fromBase64(seal.prevHash);
  const next = head === undefined ? 0 : head.seq + 1;
  if (next === 0 && change.kind !== 'opened')
    throw new AppError(
      'CONFLICT',
      'this situation has no membership log: it was referred before the log existed (docs/operations.md)',
    );
  const chained =
    head === undefined ? prevHash === null : prevHash !== null && equalBytes(prevHash, head.hash);
  if (seal.seq !== next || !chained)
    throw new AppError(
      'LOG_HEAD_MOVED',
      `the membership log's next statement is ${next}: read the log again and sign the change there`,
    );
  // The caller's newest device keys: the ones their device signs with.
  const keys = await trx
    .selectFrom('member_keys')
    .select(['version', 'sign_public_key'])
    .where('clsm_id', '=', caller.clsmId)
    .where('member_id', '=', caller.memberId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (keys === undefined) throw refused('BAD_SIGNATURE', 'you have no device keys to sign with');
  // Devices check each statement against the directory log: one by keys it does not certify would
  // stop every device at that line, so it is refused here, before anything changes.
  const certified = await trx
    .selectFrom('directory_entries')
    .select('seq')
    .where('clsm_id', '=', caller.clsmId)
    .where('subject_id', '=', caller.memberId)
    .where('kind', 'in', ['root', 'certify', 'device'])
    .where('key_version', '=', keys.version)
    .where('sign_public_key', '=', keys.sign_public_key)
    .limit(1)
    .executeTakeFirst();
  if (certified === undefined)
    throw refused(
      'FORBIDDEN',
      'your device keys are not certified yet: a coordinator certifies them, with you, before you change who may read a situation',
    );
  const statement: SignedCaseLogStatement = {
    ...change,
    clsmId: caller.clsmId,
    caseId,
    seq: seal.seq,
    prevHash,
    authorId: caller.memberId,
    authorKeyVersion: keys.version,
    at: seal.at,
    signature: fromBase64(seal.signature),
  };
  if (!verifyEd25519(keys.sign_public_key, caseLogMessage(statement), statement.signature))
    throw refused(
      'BAD_SIGNATURE',
      `the membership log statement is not signed by your current keys over this ${change.kind} change`,
    );
  await trx
    .insertInto('case_log')
    .values({
      clsm_id: caller.clsmId,
      case_id: caseId,
      seq: statement.seq,
      prev_hash: buf(prevHash),
      kind: statement.kind,
      author_id: statement.authorId,
      author_key_version: statement.authorKeyVersion,
      at: statement.at,
      subject_id: statement.subjectId,
      compartments: list(statement.compartments),
      key_version: statement.keyVersion,
      recipients: list(statement.recipients),
      decision: statement.decision,
      scope: list(statement.scope),
      hours: statement.hours,
      until: statement.until,
      ref: statement.ref,
      requested_by: statement.requestedBy,
      signature: Buffer.from(statement.signature),
      hash: Buffer.from(await caseLogHash(statement)),
    })
    .execute();
  return statement.seq;
}

const buf = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b));
const list = (items: readonly string[] | null) => (items === null ? null : [...items]);
