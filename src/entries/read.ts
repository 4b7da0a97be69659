import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { withCase } from '../unit-of-work/case-unit.js';
import type { EntriesTable } from './schema.js';
import type { KeyGrantsTable } from '../keys/schema.js';
import { sql, type Selectable } from 'kysely';
import { afterTimeAndId, decodeCursor, encodeCursor, fitting, keys, microText } from '../http/paging.js';

export interface CompartmentContent {
  /** One page of entries, oldest first, within the page's count and byte bounds. */
  entries: Selectable<EntriesTable>[];
  nextCursor: string | null;
  /** The caller's own wrapped keys for this compartment, one per version they hold. */
  grants: Selectable<KeyGrantsTable>[];
  keyVersion: number;
  rotationRequired: boolean;
}

/** What one entry takes in the response: its ciphertext in base64 and the fields around it. */
const wireSize = (ciphertextBytes: number): number => 4 * Math.ceil(ciphertextBytes / 3) + 400;

/**
 * Reads one page of a compartment: every read of case content (each page) is on the record, with
 * its legal basis.
 */
export async function readCompartment(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  page: { cursor?: string | undefined; limit: number },
): Promise<CompartmentContent> {
  const request = { caseId, action: 'compartment.read', compartment } as const;
  return withCase(ctx, caller, request, async (trx, unit) => {
    const { legalBasis } = unit;
    const scope = `${caseId}/${compartment}`;
    const after = decodeCursor(page.cursor, 'entries', scope, keys.timeAndId);
    const inCompartment = trx
      .selectFrom('entries')
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('compartment', '=', compartment);
    // Sizes first, then only the rows that fit: a page never loads more than its byte budget.
    const positions = await (
      after === undefined ? inCompartment : inCompartment.where(afterTimeAndId('created_at', 'id', after))
    )
      .select(['id', microText('created_at').as('at'), sql<number>`octet_length(ciphertext)`.as('size')])
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const n = fitting(
      positions.map((p) => wireSize(p.size)),
      { limit: page.limit, maxBytes: ctx.config.http.pageMaxBytes },
    );
    const served = positions.slice(0, n);
    const entries =
      n === 0
        ? []
        : await inCompartment
            .selectAll()
            .where(
              'id',
              'in',
              served.map((p) => p.id),
            )
            .orderBy('created_at')
            .orderBy('id')
            .execute();
    const last = served.at(-1);
    const nextCursor =
      n < positions.length && last !== undefined ? encodeCursor('entries', scope, [last.at, last.id]) : null;
    // The compartment's key state comes with the caller's grants (a left join, so it comes even when
    // they hold none). Queries of one transaction never overlap.
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
    unit.audit({
      ...by(caller),
      type: 'compartment.read',
      outcome: 'success',
      caseId,
      compartment,
      ...(legalBasis === undefined ? {} : { legalBasis }),
    });
    return {
      entries,
      nextCursor,
      grants,
      keyVersion: current.current_version,
      rotationRequired: current.rotation_required,
    };
  });
}
