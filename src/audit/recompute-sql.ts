import { sql, type RawBuilder } from 'kysely';

// The chain hash of a stored event, recomputed by the database from an expression of this module's
// own: only built-in functions (pg_catalog, searched first, which no schema owner can replace), never
// the trigger's functions (audit_field, audit_preimage). A trigger function replaced to leave a field
// out of the hash is then caught: the stored hash no longer matches this recomputation. It is the
// same preimage as migrations/2026112202_audit.ts and 2026113004_audit_hardening.ts.

const DOMAIN = 'clsm.audit.v1';

type Kind = 'text' | 'uuid' | 'integer';

/** The fields after (prev_hash, seq, clsm_id, at), in hash order, each hashed as its text. */
const FIELDS: readonly (readonly [column: string, kind: Kind])[] = [
  ['type', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['actor_id', 'uuid'],
  ['actor_role', 'text'],
  ['action', 'text'],
  ['resource_type', 'text'],
  ['resource_id', 'text'],
  ['case_id', 'uuid'],
  ['compartment', 'text'],
  ['subject_id', 'uuid'],
  ['key_version', 'integer'],
  ['legal_basis', 'text'],
  ['legal_basis_id', 'uuid'],
  ['request_id', 'text'],
];

function lengthPrefixed(bytes: Buffer): string {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return `'\\x${Buffer.concat([length, bytes]).toString('hex')}'::bytea`;
}

/**
 * uint32 length of the UTF-8 bytes of the column's text then the bytes; 0xffffffff for NULL. Each
 * conversion to text is costly over a million rows (a uuid's above all), so a column is converted
 * as few times as the kind allows: a uuid's text is always 36 ASCII characters, an integer's
 * ASCII digits (its length in bytes is that of its text in any server encoding).
 */
function field(column: string, kind: Kind): string {
  const bytes = (text: string) => `pg_catalog.convert_to(${text}, 'UTF8')`;
  const prefixed =
    kind === 'uuid'
      ? `'\\x00000024'::bytea || ${bytes(`${column}::text`)}`
      : kind === 'integer'
        ? `pg_catalog.int4send(pg_catalog.octet_length(${column}::text)) || ${bytes(`${column}::text`)}`
        : `pg_catalog.int4send(pg_catalog.octet_length(${bytes(column)})) || ${bytes(column)}`;
  return `(CASE WHEN ${column} IS NULL THEN '\\xffffffff'::bytea ELSE ${prefixed} END)`;
}

const PREIMAGE = [
  lengthPrefixed(Buffer.from(DOMAIN, 'utf8')),
  'prev_hash',
  'pg_catalog.int8send(seq)',
  field('clsm_id', 'uuid'),
  'pg_catalog.int8send((extract(epoch FROM at) * 1000)::bigint)',
  ...FIELDS.map(([column, kind]) => field(column, kind)),
  // Hashed only when set: events written before the field existed keep their hash.
  `(CASE WHEN occurrences IS NULL THEN ''::bytea ELSE ${field('occurrences', 'integer')} END)`,
].join(' || ');

/** `true` when the stored hash is that of the stored fields, for a row of audit_events. */
export const HASH_MATCHES: RawBuilder<boolean> = sql<boolean>`(pg_catalog.sha256(${sql.raw(PREIMAGE)}) = hash)`;
