import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { withCase } from '../unit-of-work/case-unit.js';
import type { Adhesion } from './schema.js';

export interface CaseDecision {
  id: string;
  sittingId: string;
  category: string;
  adhesion: Adhesion;
  decidedAt: Date;
}

/**
 * A situation's decisions across its sittings, oldest first: for whoever reads its committee
 * compartment (sitting.read_decisions), e.g. to put one to the person in their own space.
 */
export async function decisionsOfCase(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
): Promise<CaseDecision[]> {
  const request = { caseId, action: 'sitting.read_decisions', compartment: 'committee' } as const;
  return withCase(ctx, caller, request, async (trx, scope) => {
    const rows = await trx
      .selectFrom('decisions as d')
      .innerJoin('agenda_items as i', (j) =>
        j.onRef('i.clsm_id', '=', 'd.clsm_id').onRef('i.id', '=', 'd.agenda_item_id'),
      )
      .select(['d.id', 'i.sitting_id', 'd.category', 'd.adhesion', 'd.decided_at'])
      .where('d.clsm_id', '=', caller.clsmId)
      .where('d.case_id', '=', caseId)
      .orderBy('d.decided_at')
      .orderBy('d.id')
      .limit(500)
      .execute();
    scope.audit({ ...by(caller), type: 'case.read', outcome: 'success', caseId, resourceType: 'decision' });
    return rows.map((r) => ({
      id: r.id,
      sittingId: r.sitting_id,
      category: r.category,
      adhesion: r.adhesion,
      decidedAt: r.decided_at,
    }));
  });
}
