import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Caller } from '../access/authorize.js';
import type { OwnGrant } from '../access/case-state.js';
import { by } from '../kernel/audit-events.js';
import { withCaseStatement } from '../unit-of-work/case-unit.js';
import type { EntriesTable } from './schema.js';
import { sql, type Selectable } from 'kysely';
import {
  afterTimeAndId,
  decodeCursor,
  encodeCursor,
  keys,
  microText,
  type TimeAndId,
} from '../http/paging.js';

export interface CompartmentContent {
  /** One page of entries, oldest first, within the page's count and byte bounds. */
  entries: Selectable<EntriesTable>[];
  nextCursor: string | null;
  /** The caller's own wrapped keys for this compartment, one per version they hold. */
  grants: OwnGrant[];
  keyVersion: number;
  rotationRequired: boolean;
}

type PageRow = Omit<Selectable<EntriesTable>, 'ciphertext'> & { ciphertext: Buffer | null; at: string };

/**
 * One page of a compartment in one statement: up to `limit + 1` entries in order; only those the
 * page holds carry their ciphertext: at most `limit`, while the bytes they take in the response
 * (base64 and about 400 bytes around it) stay within the budget, and always the first. A page thus
 * never loads more than its byte budget.
 */
function pageOfEntries(
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  after: TimeAndId | undefined,
  bounds: { limit: number; maxBytes: number },
) {
  const resume = after === undefined ? sql`` : sql`and ${afterTimeAndId('created_at', 'id', after)}`;
  return sql<PageRow>`
    select p.clsm_id, p.id, p.case_id, p.compartment, p.key_version, p.author_id, p.kind, p.refers_to,
      p.nonce, p.signature, p.created_at, ${microText('p.created_at')} as at,
      case when p.n <= ${bounds.limit} and (p.n = 1 or p.bytes <= ${bounds.maxBytes})
        then p.ciphertext end as ciphertext
    from (select e.*, row_number() over w as n,
            sum(4 * ((octet_length(e.ciphertext) + 2) / 3) + 400) over w as bytes
          from (select * from entries
                where clsm_id = ${caller.clsmId} and case_id = ${caseId} and compartment = ${compartment} ${resume}
                order by created_at, id limit ${bounds.limit + 1}) e
          window w as (order by e.created_at, e.id rows unbounded preceding)) p
    order by p.n`;
}

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
  return withCaseStatement(ctx, caller, request, async (_db, unit) => {
    const { legalBasis } = unit;
    const scope = `${caseId}/${compartment}`;
    const after = decodeCursor(page.cursor, 'entries', scope, keys.timeAndId);
    const bounds = { limit: page.limit, maxBytes: ctx.config.http.pageMaxBytes };
    // A read alone: on a read lane (docs/adr/0043).
    const rows = (await pageOfEntries(caller, caseId, compartment, after, bounds).execute(ctx.reads)).rows;
    const entries = rows.flatMap(({ at: _at, ciphertext, ...e }) =>
      ciphertext === null ? [] : [{ ...e, ciphertext }],
    );
    const last = rows[entries.length - 1];
    const nextCursor =
      entries.length < rows.length && last !== undefined
        ? encodeCursor('entries', scope, [last.at, last.id])
        : null;
    // The compartment's key state and the caller's grants came with the case state.
    const current = unit.state.keys;
    if (current === undefined) throw new Error(`case ${caseId} has no ${compartment} compartment`);
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
      grants: current.grants,
      keyVersion: current.version,
      rotationRequired: current.rotationRequired,
    };
  });
}
