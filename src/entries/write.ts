import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../access/authorize.js';
import { by, type AuditEvent } from '../kernel/audit-events.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { entrySignatureMessage } from '../crypto/messages.js';
import { AppError } from '../kernel/errors.js';
import { withCaseStatement, type CaseScope } from '../unit-of-work/case-unit.js';
import { keyNotHeld } from '../keys/grants.js';
import { keyRefusal } from '../keys/refusals.js';
import type { EntriesTable, EntryKind } from './schema.js';
import { compiledOnce } from '../db/compiled-once.js';
import { AUDIT_COLUMNS, auditRow, type AuditRow } from '../audit/append.js';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';

type EntryRow = Insertable<EntriesTable> & Record<string, unknown>;

const ENTRY_COLUMNS = [
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
] as const;

const insertEntry = compiledOnce(ENTRY_COLUMNS, (db, row: EntryRow) =>
  db
    .insertInto('entries')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('created_at'),
);

/** An event's values, named apart from an entry's so that both fit one set of parameters. */
type EventValues = { [K in (typeof AUDIT_COLUMNS)[number] as `event_${K}`]: AuditRow[K] };

const eventValues = (row: AuditRow) =>
  Object.fromEntries(AUDIT_COLUMNS.map((c) => [`event_${c}`, row[c]])) as EventValues;

/**
 * The entry and its event in one statement, so that one commits with the other without a
 * transaction (docs/adr/0037). A second entry of the same id fails the statement whole.
 */
const insertEntryWithEvent = compiledOnce(
  [...ENTRY_COLUMNS, ...AUDIT_COLUMNS.map((c) => `event_${c}` as const)],
  (db, v: EntryRow & EventValues) =>
    db
      .with('entry', (qb) =>
        qb
          .insertInto('entries')
          .values(Object.fromEntries(ENTRY_COLUMNS.map((c) => [c, v[c]])) as EntryRow)
          .returning('created_at'),
      )
      .insertInto('audit_pending')
      .values(Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, v[`event_${c}`]])) as AuditRow)
      .returning((eb) => [
        'id',
        eb.selectFrom('entry').select('created_at').$asScalar().$notNull().as('created_at'),
      ]),
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
  return withCaseStatement(ctx, caller, request, async (db, scope) => {
    const { row, event } = checkedEntry(scope, compartment, entry);
    try {
      const written = (await insertEntryWithEvent(db, { ...row, ...eventValues(auditRow(event)) })).rows[0];
      if (written === undefined) throw new Error('the entry and its event returned no row');
      return { createdAt: written.created_at };
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', 'an entry with this id exists');
      throw err;
    }
  });
}

/** The checks and the write of `writeEntry`, in a unit that the gate let write to the compartment. */
export async function storeEntry(
  trx: Transaction<Database>,
  scope: CaseScope,
  compartment: Compartment,
  entry: EntryInput,
): Promise<{ createdAt: Date }> {
  const { row, event } = checkedEntry(scope, compartment, entry);
  const written = (await insertEntry(trx, row)).rows[0];
  if (written === undefined) throw new AppError('CONFLICT', 'an entry with this id exists');
  scope.audit(event);
  return { createdAt: written.created_at };
}

/**
 * What the server checks of an entry before it stores it, and the row and event it stores: the
 * author holds the current key of the compartment, no rotation is due, and the author's signature
 * covers the entry's full context and ciphertext.
 */
function checkedEntry(
  scope: CaseScope,
  compartment: Compartment,
  entry: EntryInput,
): { row: EntryRow; event: AuditEvent } {
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
  return {
    row: {
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
    },
    event: {
      ...by(caller),
      type: 'entry.written',
      outcome: 'success',
      caseId,
      compartment,
      resourceType: 'entry',
      resourceId: entry.id,
      keyVersion: entry.keyVersion,
      ...(legalBasis === undefined ? {} : { legalBasis }),
    },
  };
}
