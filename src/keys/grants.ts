import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { Compartment } from '../kernel/compartments.js';
import { authorize, type Caller } from '../access/authorize.js';
import { AuditedRefusal } from '../kernel/refusal.js';
import { by, type LegalBasis } from '../kernel/audit-events.js';
import { verifyEd25519 } from '../crypto/ed25519.js';
import { grantSignatureMessage } from '../crypto/messages.js';
import { AppError, notFound } from '../kernel/errors.js';
import { factsFor, type CaseState } from '../access/case-state.js';
import type { AuditSink } from '../unit-of-work/audit-buffer.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { currentKeysOf } from '../keys/current-keys.js';
import { keyRefusal } from './refusals.js';
import { createHash } from 'node:crypto';

export interface SignedGrantInput {
  granteeId: string;
  granteeKeyVersion: number;
  sealedKey: Buffer;
  signature: Buffer;
}

/**
 * Checks one grant as the server can: the grantee may read the compartment (policy, consent
 * included), the key it is sealed to is the grantee's registered key, and the granter's signature
 * verifies. Returns the legal basis of the grantee's access. The sealed key itself stays opaque.
 */
export async function checkGrant(
  trx: Transaction<Database>,
  ctx: AppContext,
  caller: Caller,
  state: CaseState,
  compartment: Compartment,
  keyVersion: number,
  grant: SignedGrantInput,
): Promise<LegalBasis | undefined> {
  const member = state.participants.find((p) => p.id === grant.granteeId && p.active);
  const grantee: Caller = {
    clsmId: caller.clsmId,
    memberId: grant.granteeId,
    role: member?.role ?? 'partner',
    charterAccepted: true,
    requestId: caller.requestId,
  };
  // A refused grant is recorded as the granter's attempt, naming the member who would have got the key.
  const refuse = (code: 'CONSENT_REQUIRED' | 'FORBIDDEN') =>
    new AuditedRefusal(
      code,
      code === 'CONSENT_REQUIRED'
        ? `the person's consent does not cover the ${compartment} compartment for this member's role`
        : `this member may not receive the ${compartment} key (not a participant, or their role is not allowed)`,
      {
        ...by(caller),
        type: 'access.denied',
        outcome: 'denied',
        reason: code,
        action: 'grant.give',
        caseId: state.row.id,
        compartment,
        subjectId: grant.granteeId,
        keyVersion,
      },
    );
  if (member === undefined) throw refuse('FORBIDDEN');
  let basis: LegalBasis | undefined;
  try {
    basis = authorize(ctx.policies, grantee, {
      kind: 'compartment',
      action: 'compartment.read',
      facts: factsFor(state, grantee),
      compartment,
    });
  } catch (err) {
    if (!(err instanceof AuditedRefusal)) throw err;
    throw refuse(err.code === 'CONSENT_REQUIRED' ? 'CONSENT_REQUIRED' : 'FORBIDDEN');
  }
  const key = await currentKeysOf(trx, { clsmId: caller.clsmId, memberId: grant.granteeId });
  if (key === undefined) throw notFound('member keys');
  const refused = {
    type: 'grant.given',
    caseId: state.row.id,
    compartment,
    keyVersion,
    subjectId: grant.granteeId,
  } as const;
  if (key.version !== grant.granteeKeyVersion) {
    throw keyRefusal(
      caller,
      'KEY_VERSION_MISMATCH',
      `the grantee's current key is version ${key.version}: seal the key to it`,
      refused,
    );
  }
  const message = grantSignatureMessage(
    {
      caseId: state.row.id,
      compartment,
      keyVersion,
      granterId: caller.memberId,
      granteeId: grant.granteeId,
      granteeBoxPublicKey: key.boxPublicKey,
    },
    createHash('sha256').update(grant.sealedKey).digest(),
  );
  const granterKey = (await currentKeysOf(trx, caller))?.signPublicKey;
  if (granterKey === undefined || !verifyEd25519(granterKey, message, grant.signature)) {
    throw keyRefusal(
      caller,
      'BAD_SIGNATURE',
      `the grant to ${grant.granteeId} is not signed by you over this case, compartment, version and key`,
      refused,
    );
  }
  return basis;
}

/** A caller the policy allows but who holds no copy of the key version they act with: refused, audited. */
export function keyNotHeld(
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  keyVersion: number,
  action: 'compartment.write' | 'grant.give',
): AuditedRefusal {
  return new AuditedRefusal('FORBIDDEN', `you do not hold version ${keyVersion} of the ${compartment} key`, {
    ...by(caller),
    type: 'access.denied',
    outcome: 'denied',
    reason: 'KEY_NOT_HELD',
    action,
    caseId,
    compartment,
    keyVersion,
  });
}

export async function holdsKey(
  trx: Transaction<Database>,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  keyVersion: number,
): Promise<boolean> {
  const row = await trx
    .selectFrom('key_grants')
    .select('grantee_id')
    .where('clsm_id', '=', caller.clsmId)
    .where('case_id', '=', caseId)
    .where('compartment', '=', compartment)
    .where('key_version', '=', keyVersion)
    .where('grantee_id', '=', caller.memberId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertGrant(
  trx: Transaction<Database>,
  sink: AuditSink,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  keyVersion: number,
  grant: SignedGrantInput,
  basis: LegalBasis | undefined,
): Promise<void> {
  const inserted = await trx
    .insertInto('key_grants')
    .values({
      clsm_id: caller.clsmId,
      case_id: caseId,
      compartment,
      key_version: keyVersion,
      grantee_id: grant.granteeId,
      grantee_key_version: grant.granteeKeyVersion,
      granter_id: caller.memberId,
      sealed_key: grant.sealedKey,
      signature: grant.signature,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('grantee_id')
    .executeTakeFirst();
  if (inserted === undefined)
    throw new AppError(
      'CONFLICT',
      `member ${grant.granteeId} already holds version ${keyVersion} of the ${compartment} key`,
    );
  sink.audit({
    ...by(caller),
    type: 'grant.given',
    outcome: 'success',
    caseId,
    compartment,
    subjectId: grant.granteeId,
    keyVersion,
    ...(basis === undefined ? {} : { legalBasis: basis }),
  });
}

/** Gives one member one version of a compartment key, sealed and signed by a current holder. */
export async function giveGrant(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  keyVersion: number,
  grant: SignedGrantInput,
): Promise<void> {
  // Giving a key takes reading the compartment: only a holder of the key can seal it to another.
  const request = { caseId, action: 'compartment.read', compartment } as const;
  await withCase(ctx, caller, request, async (trx, scope) => {
    const current = await trx
      .selectFrom('case_compartments')
      .select(['key_version', 'rotation_required'])
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('compartment', '=', compartment)
      .executeTakeFirstOrThrow();
    const refused = {
      type: 'grant.given',
      caseId,
      compartment,
      keyVersion,
      subjectId: grant.granteeId,
    } as const;
    if (keyVersion < 1 || keyVersion > current.key_version) {
      throw keyRefusal(
        caller,
        'KEY_VERSION_MISMATCH',
        `the ${compartment} key has no version ${keyVersion}`,
        refused,
      );
    }
    if (keyVersion === current.key_version && current.rotation_required) {
      throw keyRefusal(
        caller,
        'ROTATION_REQUIRED',
        `the ${compartment} key must be rotated before it is shared again`,
        refused,
      );
    }
    if (!(await holdsKey(trx, caller, caseId, compartment, keyVersion))) {
      throw keyNotHeld(caller, caseId, compartment, keyVersion, 'grant.give');
    }
    const basis = await checkGrant(trx, ctx, caller, scope.state, compartment, keyVersion, grant);
    await insertGrant(trx, scope, caller, caseId, compartment, keyVersion, grant, basis);
  });
}
