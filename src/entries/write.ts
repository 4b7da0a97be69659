import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { entrySignatureMessage } from '../crypto/messages.js';
import { AppError } from '../kernel/errors.js';
import { withCase, type CaseScope } from '../unit-of-work/case-unit.js';
import { keyNotHeld } from '../keys/grants.js';
import { keyRefusal } from '../keys/refusals.js';
import type { EntriesTable, EntryKind } from './schema.js';
import { compiledOnce } from '../db/compiled-once.js';

type EntryRow = Insertable<EntriesTable> & Record<string, unknown>;

const insertEntry = compiledOnce(
  [
    'clsm_id',
    'id',
    'case_id',
    'compartment',
    'key_version',
    'author_id',
    'kind',
    'refers_to',
    'nonce',
    'ciphertext',
    'signature',
  ],
  (db, row: EntryRow) =>
    db
      .insertInto('entries')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('created_at'),
);

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
  // The compartment's key state, the author's grants and signing key came with the case state.
  const current = scope.state.keys;
  if (current?.compartment !== compartment) throw new Error(`no ${compartment} key state in this unit`);
  const refused = {
    type: 'entry.written',
    caseId,
    compartment,
    keyVersion: entry.keyVersion,
    resourceType: 'entry',
    resourceId: entry.id,
  } as const;
  if (current.rotationRequired) {
    throw keyRefusal(
      caller,
      'ROTATION_REQUIRED',
      `the ${compartment} key must be rotated before new entries (someone lost access to it)`,
      refused,
    );
  }
  if (entry.keyVersion !== current.version) {
    throw keyRefusal(
      caller,
      'KEY_VERSION_MISMATCH',
      `new entries use version ${current.version} of the ${compartment} key`,
      refused,
    );
  }
  // The key version is the current one (checked above): holding the current key is holding it.
  if (!current.grants.some((g) => g.keyVersion === current.version))
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
  if (current.signPublicKey === null || !verifyEd25519(current.signPublicKey, message, entry.signature)) {
    throw keyRefusal(
      caller,
      'BAD_SIGNATURE',
      'the entry is not signed by you over this case, compartment, key version and ciphertext',
      refused,
    );
  }
  const row = (
    await insertEntry(trx, {
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
  ).rows[0];
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
