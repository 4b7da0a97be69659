import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CaseFacts } from './authorize.js';
import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import type { Role } from '../kernel/roles.js';
import type { CasesTable } from '../cases/schema.js';

// Everything the access gate needs to know about a case, in one query: the case, its active
// participants with their roles, the person's current consent, and the legal exceptions in force.
// From it, the facts of any member (the caller, or a colleague about to receive a key) follow.
// A unit on one compartment reads the caller's key state of that compartment in the same query.

export interface CaseState {
  row: CasesTable;
  participants: { id: string; role: Role; active: boolean; compartments: Compartment[]; addedBy: string }[];
  consent: { id: string; decision: 'given' | 'refused' | 'withdrawn'; scope: string[] } | null;
  exceptions: { id: string; scope: string[] }[];
  /** One member's key state of one compartment, when the loader is asked for it. */
  keys?: CompartmentKeys;
}

/** One member's wrapped key of a compartment's version, as its granter signed it. */
export interface OwnGrant {
  keyVersion: number;
  granteeKeyVersion: number;
  granterId: string;
  sealedKey: Buffer;
  signature: Buffer;
}

export interface CompartmentKeys {
  compartment: Compartment;
  /** The compartment's current key version, and whether a new one is due before new entries. */
  version: number;
  rotationRequired: boolean;
  /** The member's own grants of this compartment's keys, oldest version first. */
  grants: OwnGrant[];
  /** The member's current signing key. */
  signPublicKey: Buffer | null;
}

type KeysRow = Omit<CompartmentKeys, 'compartment' | 'grants' | 'signPublicKey'> & {
  grants: (Omit<OwnGrant, 'sealedKey' | 'signature'> & { sealedKey: string; signature: string })[];
  signPublicKey: string | null;
};

/** The member's key state of one compartment, as one JSON value (bytes in base64). */
const keysOf = (member: string, compartment: Compartment) => sql<KeysRow | null>`(
  select json_build_object('version', cc.key_version, 'rotationRequired', cc.rotation_required,
    'grants', (select coalesce(json_agg(json_build_object('keyVersion', g.key_version,
        'granteeKeyVersion', g.grantee_key_version, 'granterId', g.granter_id,
        'sealedKey', encode(g.sealed_key, 'base64'), 'signature', encode(g.signature, 'base64'))
        order by g.key_version), '[]'::json)
       from key_grants g where g.clsm_id = cc.clsm_id and g.case_id = cc.case_id
        and g.compartment = cc.compartment and g.grantee_id = ${member}),
    'signPublicKey', (select encode(mk.sign_public_key, 'base64') from member_keys mk
       where mk.clsm_id = cc.clsm_id and mk.member_id = ${member} order by mk.version desc limit 1))
  from case_compartments cc
  where cc.clsm_id = c.clsm_id and cc.case_id = c.id and cc.compartment = ${compartment})`;

const bytesOf = (base64: string): Buffer => Buffer.from(base64, 'base64');

export async function loadCaseState(
  trx: Kysely<Database>,
  clsmId: string,
  caseId: string,
  now: Date,
  keys?: { memberId: string; compartment: Compartment },
): Promise<CaseState | undefined> {
  const result = await sql<
    CasesTable & Pick<CaseState, 'participants' | 'consent' | 'exceptions'> & { keys: KeysRow | null }
  >`
    select c.*,
      (select coalesce(json_agg(json_build_object('id', p.member_id, 'role', m.role, 'active', m.status = 'active', 'compartments', p.compartments, 'addedBy', p.added_by)), '[]'::json)
         from case_participants p join members m on m.clsm_id = p.clsm_id and m.id = p.member_id
        where p.clsm_id = c.clsm_id and p.case_id = c.id and p.removed_at is null) as participants,
      (select json_build_object('id', r.id, 'decision', r.decision, 'scope', r.scope)
         from consent_records r where r.clsm_id = c.clsm_id and r.case_id = c.id
        order by r.seq desc limit 1) as consent,
      (select coalesce(json_agg(json_build_object('id', e.id, 'scope', e.scope) order by e.approved_at), '[]'::json)
         from legal_exceptions e
        where e.clsm_id = c.clsm_id and e.case_id = c.id and e.approved_at is not null
          and e.closed_at is null and e.expires_at > ${now}) as exceptions,
      ${keys === undefined ? sql`null` : keysOf(keys.memberId, keys.compartment)} as keys
    from cases c where c.clsm_id = ${clsmId} and c.id = ${caseId}`.execute(trx);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const { participants, consent, exceptions, keys: k, ...caseRow } = row;
  const state: CaseState = { row: caseRow, participants, consent, exceptions };
  if (k === null || keys === undefined) return state;
  const grants = k.grants.map((g) => ({
    ...g,
    sealedKey: bytesOf(g.sealedKey),
    signature: bytesOf(g.signature),
  }));
  const signPublicKey = k.signPublicKey === null ? null : bytesOf(k.signPublicKey);
  return { ...state, keys: { ...k, compartment: keys.compartment, grants, signPublicKey } };
}

/**
 * Whose access a member's consent record would widen for them: their own role's; for the person the
 * situation is about, the role of the participant who added them, who vouches for their account.
 */
export function vouchingRole(state: CaseState, memberId: string, role: Role): Role | undefined {
  if (role !== 'person') return role;
  const addedBy = state.participants.find((p) => p.id === memberId)?.addedBy;
  return state.participants.find((p) => p.id === addedBy)?.role;
}

/** The member who vouches for a person's account (who added them), or the member themselves. */
export function voucherOf(state: CaseState, memberId: string): string | undefined {
  const participant = state.participants.find((p) => p.id === memberId);
  return participant?.role === 'person' ? participant.addedBy : memberId;
}

/** Compartments a 'role:compartment' scope opens to one role. */
export function compartmentsFor(scope: readonly string[], role: Role): Compartment[] {
  return COMPARTMENTS.filter((c) => scope.includes(`${role}:${c}`));
}

/** The facts of the case for one member, as the policy reads them. */
export function factsFor(state: CaseState, member: { memberId: string; role: Role }): CaseFacts {
  const consentCompartments =
    state.consent?.decision === 'given' ? compartmentsFor(state.consent.scope, member.role) : [];
  const exception = state.exceptions.find((e) => compartmentsFor(e.scope, member.role).length > 0);
  const participation = state.participants.find((p) => p.id === member.memberId && p.active);
  return {
    id: state.row.id,
    status: state.row.status,
    participant: participation !== undefined,
    assigned: participation?.compartments ?? [],
    consent: state.consent === null ? undefined : { id: state.consent.id, compartments: consentCompartments },
    exception:
      exception === undefined
        ? undefined
        : {
            id: exception.id,
            compartments: [
              ...new Set(state.exceptions.flatMap((e) => compartmentsFor(e.scope, member.role))),
            ],
          },
  };
}
