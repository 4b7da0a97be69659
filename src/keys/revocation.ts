import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Compartment } from '../kernel/compartments.js';
import type { AuditActor, LegalBasis } from '../kernel/audit-events.js';
import type { AuditSink } from '../unit-of-work/audit-buffer.js';

/**
 * Deletes every key a member holds for a case (or for some compartments of it), and marks those
 * compartments rotation-required: new entries must then go under a key the member never had.
 * Used when a participant leaves, when consent is withdrawn or narrowed, and when an exception ends.
 */
export async function revokeGrants(
  trx: Transaction<Database>,
  sink: AuditSink,
  actor: AuditActor,
  caseId: string,
  memberId: string,
  compartments: readonly Compartment[] | undefined,
  legalBasis?: LegalBasis,
): Promise<Compartment[]> {
  let q = trx
    .deleteFrom('key_grants')
    .where('clsm_id', '=', actor.clsmId)
    .where('case_id', '=', caseId)
    .where('grantee_id', '=', memberId);
  if (compartments !== undefined) {
    if (compartments.length === 0) return [];
    q = q.where('compartment', 'in', compartments);
  }
  const deleted = await q.returning('compartment').execute();
  const affected = [...new Set(deleted.map((d) => d.compartment))];
  if (affected.length === 0) return [];
  await trx
    .updateTable('case_compartments')
    .set({ rotation_required: true })
    .where('clsm_id', '=', actor.clsmId)
    .where('case_id', '=', caseId)
    .where('compartment', 'in', affected)
    .execute();
  for (const compartment of affected) {
    sink.audit({
      ...actor,
      type: 'grant.revoked',
      outcome: 'success',
      caseId,
      compartment,
      subjectId: memberId,
      ...(legalBasis === undefined ? {} : { legalBasis }),
    });
  }
  return affected;
}

/** Deletes every key a member holds in their CLSM, situation by situation (a suspension). */
export async function revokeAllGrants(
  trx: Transaction<Database>,
  sink: AuditSink,
  actor: AuditActor,
  memberId: string,
): Promise<void> {
  const cases = await trx
    .selectFrom('key_grants')
    .select('case_id')
    .distinct()
    .where('clsm_id', '=', actor.clsmId)
    .where('grantee_id', '=', memberId)
    .execute();
  for (const { case_id } of cases) await revokeGrants(trx, sink, actor, case_id, memberId, undefined);
}
