import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SignedStatement } from '../crypto/directory-statements.js';
import type { DirectoryEntriesTable } from './schema.js';

// Reading a CLSM's directory log, in order.

type Row = Pick<
  DirectoryEntriesTable,
  | 'clsm_id'
  | 'seq'
  | 'prev_hash'
  | 'kind'
  | 'author_id'
  | 'subject_id'
  | 'role'
  | 'organisation'
  | 'display_name'
  | 'sign_public_key'
  | 'box_public_key'
  | 'key_version'
  | 'signature'
>;

const COLUMNS = [
  'clsm_id',
  'seq',
  'prev_hash',
  'kind',
  'author_id',
  'subject_id',
  'role',
  'organisation',
  'display_name',
  'sign_public_key',
  'box_public_key',
  'key_version',
  'signature',
] as const;

/** Statements after `after` (all of them without it), at most `limit`, oldest first. */
export async function readDirectory(
  db: Kysely<Database> | Transaction<Database>,
  clsmId: string,
  page: { after?: number | undefined; limit?: number } = {},
): Promise<SignedStatement[]> {
  let q = db.selectFrom('directory_entries').select(COLUMNS).where('clsm_id', '=', clsmId);
  if (page.after !== undefined) q = q.where('seq', '>', page.after);
  if (page.limit !== undefined) q = q.limit(page.limit);
  const rows = await q.orderBy('seq').execute();
  return rows.map(fromRow);
}

export function fromRow(r: Row): SignedStatement {
  return {
    clsmId: r.clsm_id,
    seq: r.seq,
    prevHash: r.prev_hash,
    kind: r.kind,
    authorId: r.author_id,
    subjectId: r.subject_id,
    role: r.role,
    organisation: r.organisation,
    displayName: r.display_name,
    signPublicKey: r.sign_public_key,
    boxPublicKey: r.box_public_key,
    keyVersion: r.key_version,
    signature: r.signature,
  };
}
