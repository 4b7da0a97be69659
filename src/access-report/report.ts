import type { AppContext } from '../context.js';
import type { Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { eventsSealed } from '../db/seal-after-commit.js';

// "Who looked at my file?": every access to a person's case file, line by line — who, in which role
// and organisation, when, what, on which legal basis. It outlives the file itself: a purged case
// still has its report.

export interface AccessLine {
  at: Date;
  type: string;
  outcome: string;
  action: string | null;
  compartment: string | null;
  memberId: string | null;
  role: string | null;
  displayName: string | null;
  organisation: string | null;
  legalBasis: string | null;
  legalBasisId: string | null;
}

export async function accessReport(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
): Promise<{ reference: string; lines: AccessLine[] }> {
  const request = { caseId, action: 'case.access_report', evenPurged: true } as const;
  // The accesses this process has just answered are in the report (docs/adr/0039).
  await eventsSealed(ctx.db);
  return withCase(ctx, caller, request, async (trx, scope) => {
    const rows = await trx
      .selectFrom('audit_events as e')
      .leftJoin('members as m', (j) =>
        j.onRef('m.clsm_id', '=', 'e.clsm_id').onRef('m.id', '=', 'e.actor_id'),
      )
      .select([
        'e.at',
        'e.type',
        'e.outcome',
        'e.action',
        'e.compartment',
        'e.actor_id',
        'e.actor_role',
        'e.legal_basis',
        'e.legal_basis_id',
      ])
      .select(['m.display_name', 'm.organisation'])
      .where('e.clsm_id', '=', caller.clsmId)
      .where('e.case_id', '=', caseId)
      .orderBy('e.seq')
      .execute();
    scope.audit({
      ...by(caller),
      type: 'audit.read',
      outcome: 'success',
      caseId,
      action: 'case.access_report',
    });
    return {
      reference: scope.state.row.reference,
      lines: rows.map((r) => ({
        at: r.at,
        type: r.type,
        outcome: r.outcome,
        action: r.action,
        compartment: r.compartment,
        memberId: r.actor_id,
        role: r.actor_role,
        displayName: r.display_name,
        organisation: r.organisation,
        legalBasis: r.legal_basis,
        legalBasisId: r.legal_basis_id,
      })),
    };
  });
}

const COLUMNS: (keyof AccessLine)[] = [
  'at',
  'type',
  'outcome',
  'action',
  'compartment',
  'memberId',
  'role',
  'displayName',
  'organisation',
  'legalBasis',
  'legalBasisId',
];

/** RFC 4180 CSV; a cell that a spreadsheet would read as a formula is neutralised. */
export function toCsv(lines: AccessLine[]): string {
  const cell = (v: unknown): string => {
    let s = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : '';
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (
    [COLUMNS.join(','), ...lines.map((l) => COLUMNS.map((c) => cell(l[c])).join(','))].join('\r\n') + '\r\n'
  );
}
