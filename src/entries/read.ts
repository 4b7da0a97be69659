import type { AppContext } from '../context.js';
import type { Compartment } from '../access/actions.js';
import { authorize, type Caller } from '../access/authorize.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../audit/events.js';
import { factsFor, requireCase } from '../cases/state.js';
import type { EntriesTable, KeyGrantsTable } from '../cases/schema.js';
import type { Selectable } from 'kysely';

export interface CompartmentContent {
  entries: Selectable<EntriesTable>[];
  /** The caller's own wrapped keys for this compartment, one per version they hold. */
  grants: Selectable<KeyGrantsTable>[];
  keyVersion: number;
  rotationRequired: boolean;
}

/** Reads a compartment: every read of case content is on the record, with its legal basis. */
export async function readCompartment(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
): Promise<CompartmentContent> {
  return ctx.db.transaction().execute(async (trx) => {
    const state = await requireCase(trx, ctx.policies, caller, caseId, ctx.clock.now(), 'compartment.read');
    const legalBasis = authorize(ctx.policies, caller, {
      kind: 'compartment',
      action: 'compartment.read',
      facts: factsFor(state, caller),
      compartment,
    });
    // Two statements, not three: the compartment's key state comes with the caller's grants (a
    // left join, so it comes even when they hold none). Queries of one transaction never overlap.
    const entries = await trx
      .selectFrom('entries')
      .selectAll()
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('compartment', '=', compartment)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const keyRows = await trx
      .selectFrom('case_compartments as cc')
      .leftJoin('key_grants as g', (join) =>
        join
          .onRef('g.clsm_id', '=', 'cc.clsm_id')
          .onRef('g.case_id', '=', 'cc.case_id')
          .onRef('g.compartment', '=', 'cc.compartment')
          .on('g.grantee_id', '=', caller.memberId),
      )
      .select(['cc.key_version as current_version', 'cc.rotation_required'])
      .select([
        'g.clsm_id',
        'g.case_id',
        'g.compartment',
        'g.key_version',
        'g.grantee_id',
        'g.grantee_key_version',
        'g.granter_id',
        'g.sealed_key',
        'g.signature',
        'g.created_at',
      ])
      .where('cc.clsm_id', '=', caller.clsmId)
      .where('cc.case_id', '=', caseId)
      .where('cc.compartment', '=', compartment)
      .orderBy('g.key_version')
      .execute();
    const current = keyRows[0];
    if (current === undefined) throw new Error(`case ${caseId} has no ${compartment} compartment`);
    const grants = keyRows.flatMap(({ current_version: _v, rotation_required: _r, ...g }) =>
      g.key_version === null ? [] : [g as Selectable<KeyGrantsTable>],
    );
    await appendAudit(trx, {
      ...by(caller),
      type: 'compartment.read',
      outcome: 'success',
      caseId,
      compartment,
      ...(legalBasis === undefined ? {} : { legalBasis }),
    });
    return {
      entries,
      grants,
      keyVersion: current.current_version,
      rotationRequired: current.rotation_required,
    };
  });
}
