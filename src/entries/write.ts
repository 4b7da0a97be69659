import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { entrySignatureMessage } from '../crypto/messages.js';
import { AppError } from '../kernel/errors.js';
import { withCase, type CaseScope } from '../unit-of-work/case-unit.js';
import { keyNotHeld } from '../keys/grants.js';
import { keyRefusal } from '../keys/refusals.js';
import type { EntryKind } from './schema.js';

export interface EntryInput {
  id: string;
  keyVersion: number;
  kind: EntryKind;
  refersTo: string | null;
  nonce: Buffer;
  ciphertext: Buffer;
  signature: Buffer;
}

/**
 * Stores one encrypted entry. The server cannot read it, but it checks everything it can: the
 * policy, that the author holds the current key of the compartment (and that no rotation is due),
 * and the author's signature over the entry's full context and ciphertext.
 */
export async function writeEntry(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  entry: EntryInput,
): Promise<{ createdAt: Date }> {
  const request = { caseId, action: 'compartment.write', compartment } as const;
  return withCase(ctx, caller, request, (trx, scope) => storeEntry(trx, scope, compartment, entry));
}

/** The checks and the write of `writeEntry`, in a unit that the gate let write to the compartment. */
export async function storeEntry(
  trx: Transaction<Database>,
  scope: CaseScope,
  compartment: Compartment,
  entry: EntryInput,
): Promise<{ createdAt: Date }> {
  const { caller, legalBasis } = scope;
  const caseId = scope.state.row.id;
  // One round trip for what the checks below need: the compartment's key state, whether the
  // author holds that key, and the author's current signing key.
  const current = await trx
    .selectFrom('case_compartments as cc')
    .select((eb) => [
      'cc.key_version',
      'cc.rotation_required',
      eb
        .exists(
          eb
            .selectFrom('key_grants as g')
            .select('g.grantee_id')
            .whereRef('g.clsm_id', '=', 'cc.clsm_id')
            .whereRef('g.case_id', '=', 'cc.case_id')
            .whereRef('g.compartment', '=', 'cc.compartment')
            .whereRef('g.key_version', '=', 'cc.key_version')
            .where('g.grantee_id', '=', caller.memberId),
        )
        .as('holds_key'),
      eb
        .selectFrom('member_keys as mk')
        .select('mk.sign_public_key')
        .where('mk.clsm_id', '=', caller.clsmId)
        .where('mk.member_id', '=', caller.memberId)
        .orderBy('mk.version', 'desc')
        .limit(1)
        .as('sign_public_key'),
    ])
    .where('cc.clsm_id', '=', caller.clsmId)
    .where('cc.case_id', '=', caseId)
    .where('cc.compartment', '=', compartment)
    .executeTakeFirstOrThrow();
  const refused = {
    type: 'entry.written',
    caseId,
    compartment,
    keyVersion: entry.keyVersion,
    resourceType: 'entry',
    resourceId: entry.id,
  } as const;
  if (current.rotation_required) {
    throw keyRefusal(
      caller,
      'ROTATION_REQUIRED',
      `the ${compartment} key must be rotated before new entries (someone lost access to it)`,
      refused,
    );
  }
  if (entry.keyVersion !== current.key_version) {
    throw keyRefusal(
      caller,
      'KEY_VERSION_MISMATCH',
      `new entries use version ${current.key_version} of the ${compartment} key`,
      refused,
    );
  }
  // The key version is the current one (checked above): holding the current key is holding it.
  if (!current.holds_key)
    throw keyNotHeld(caller, caseId, compartment, entry.keyVersion, 'compartment.write');
  const context = {
    caseId,
    compartment,
    entryId: entry.id,
    keyVersion: entry.keyVersion,
    authorId: caller.memberId,
    kind: entry.kind,
    refersTo: entry.refersTo,
  };
  const message = entrySignatureMessage(
    context,
    entry.nonce,
    createHash('sha256').update(entry.ciphertext).digest(),
  );
  if (current.sign_public_key === null || !verifyEd25519(current.sign_public_key, message, entry.signature)) {
    throw keyRefusal(
      caller,
      'BAD_SIGNATURE',
      'the entry is not signed by you over this case, compartment, key version and ciphertext',
      refused,
    );
  }
  const row = await trx
    .insertInto('entries')
    .values({
      clsm_id: caller.clsmId,
      id: entry.id,
      case_id: caseId,
      compartment,
      key_version: entry.keyVersion,
      author_id: caller.memberId,
      kind: entry.kind,
      refers_to: entry.refersTo,
      nonce: entry.nonce,
      ciphertext: entry.ciphertext,
      signature: entry.signature,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('created_at')
    .executeTakeFirst();
  if (row === undefined) throw new AppError('CONFLICT', 'an entry with this id exists');
  scope.audit({
    ...by(caller),
    type: 'entry.written',
    outcome: 'success',
    caseId,
    compartment,
    resourceType: 'entry',
    resourceId: entry.id,
    keyVersion: entry.keyVersion,
    ...(legalBasis === undefined ? {} : { legalBasis }),
  });
  return { createdAt: row.created_at };
}
