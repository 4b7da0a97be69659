import { sql, type RawBuilder } from 'kysely';

// The chain hash of a stored event, recomputed by the database from an expression of this module's
// own: only built-in functions (pg_catalog, searched first, which no schema owner can replace), never
// the trigger's functions (audit_field, audit_preimage). A trigger function replaced to leave a field
// out of the hash is then caught: the stored hash no longer matches this recomputation. It is the
// same preimage as migrations/2026112202_audit.ts and 2026113004_audit_hardening.ts.

const DOMAIN = 'clsm.audit.v1';

/** The text fields after (prev_hash, seq, clsm_id, at), in hash order. */
const TEXT_FIELDS = [
  'type',
  'outcome',
  'reason',
  'actor_id::text',
  'actor_role',
  'action',
  'resource_type',
  'resource_id',
  'case_id::text',
  'compartment',
  'subject_id::text',
  'key_version::text',
  'legal_basis',
  'legal_basis_id::text',
  'request_id',
];

/** uint32 length of the UTF-8 bytes then the bytes; 0xffffffff for NULL. */
function field(expression: string): string {
  const utf8 = `pg_catalog.convert_to(${expression}, 'UTF8')`;
  return `(CASE WHEN ${expression} IS NULL THEN '\\xffffffff'::bytea ELSE pg_catalog.int4send(pg_catalog.octet_length(${utf8})) || ${utf8} END)`;
}

const PREIMAGE = [
  field(`'${DOMAIN}'::text`),
  'prev_hash',
  'pg_catalog.int8send(seq)',
  field('clsm_id::text'),
  'pg_catalog.int8send((extract(epoch FROM at) * 1000)::bigint)',
  ...TEXT_FIELDS.map(field),
  // Hashed only when set: events written before the field existed keep their hash.
  `(CASE WHEN occurrences IS NULL THEN ''::bytea ELSE ${field('occurrences::text')} END)`,
].join(' || ');

/** `true` when the stored hash is that of the stored fields, for a row of audit_events. */
export const HASH_MATCHES: RawBuilder<boolean> = sql<boolean>`(pg_catalog.sha256(${sql.raw(PREIMAGE)}) = hash)`;
