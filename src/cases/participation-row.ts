import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Compartment } from '../kernel/compartments.js';

/** The participation row, inserted or (for a member removed before) brought back. */
export async function insertParticipant(
  trx: Transaction<Database>,
  clsmId: string,
  caseId: string,
  memberId: string,
  addedBy: string,
  now: Date,
  compartments: readonly Compartment[],
): Promise<void> {
  await trx
    .insertInto('case_participants')
    .values({
      clsm_id: clsmId,
      case_id: caseId,
      member_id: memberId,
      added_by: addedBy,
      added_at: now,
      removed_at: null,
      compartments: [...compartments],
    })
    .onConflict((oc) =>
      oc.columns(['clsm_id', 'case_id', 'member_id']).doUpdateSet({
        added_by: addedBy,
        added_at: now,
        removed_at: null,
        compartments: [...compartments],
      }),
    )
    .execute();
}
