import type { AppContext } from '../context.js';
import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import { authorize, seesAllCases, type Caller } from '../access/authorize.js';
import { by } from '../kernel/audit-events.js';
import { recordListRead } from '../audit/list-reads.js';
import { entitledMembers, mayRead } from '../keys/entitlement.js';
import type { CaseStatus, CasesTable, Urgency } from './schema.js';
import type { Role } from '../kernel/roles.js';
import { afterTimeAndId, microText, type TimeAndId } from '../http/paging.js';
import { withCase } from '../unit-of-work/case-unit.js';

export interface CaseView {
  row: CasesTable;
  history: {
    seq: number;
    from: CaseStatus | null;
    to: CaseStatus;
    category: string | null;
    memberId: string;
    at: Date;
  }[];
  /** Active participants: role, the compartments they may read, and who added them. */
  participants: { memberId: string; role: Role; compartments: Compartment[]; addedBy: string }[];
  compartments: {
    name: Compartment;
    keyVersion: number;
    rotationRequired: boolean;
    readable: boolean;
    holdsKey: boolean;
  }[];
  /** Entitled members without the current key, for compartments whose key the caller holds. */
  pendingGrants: { compartment: Compartment; keyVersion: number; memberId: string }[];
  consent: { id: string; decision: string; scope: string[] } | null;
  exceptions: { id: string; scope: string[] }[];
}

/** The case as the caller may see it: metadata, history, who takes part and with what. */
export async function readCase(ctx: AppContext, caller: Caller, caseId: string): Promise<CaseView> {
  return withCase(ctx, caller, { caseId, action: 'case.read' }, async (trx, scope) => {
    const { state } = scope;
    // Each field's audience is the policy's: the reason for the referral, and the person's consent.
    // What others may read follows from the consent: without consent.read, only shared secrecy shows.
    const seen = scope.allows('consent.read') ? state : { ...state, consent: null, exceptions: [] };
    const [history, compartments, grants, added] = await Promise.all([
      trx
        .selectFrom('case_transitions')
        .selectAll()
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .orderBy('seq')
        .execute(),
      trx
        .selectFrom('case_compartments')
        .selectAll()
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .execute(),
      trx
        .selectFrom('key_grants')
        .select(['compartment', 'key_version', 'grantee_id'])
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .execute(),
      trx
        .selectFrom('case_participants')
        .select(['member_id', 'added_by'])
        .where('clsm_id', '=', caller.clsmId)
        .where('case_id', '=', caseId)
        .where('removed_at', 'is', null)
        .execute(),
    ]);
    const addedBy = new Map(added.map((a) => [a.member_id, a.added_by]));
    const holds = (member: string, c: Compartment, v: number) =>
      grants.some((g) => g.grantee_id === member && g.compartment === c && g.key_version === v);
    const byName = new Map(compartments.map((c) => [c.compartment, c]));
    const view: CaseView = {
      row: scope.allows('case.read_reason') ? state.row : { ...state.row, reason_category: null },
      history: history.map((h) => ({
        seq: h.seq,
        from: h.from_status,
        to: h.to_status,
        category: h.category,
        memberId: h.member_id,
        at: h.at,
      })),
      participants: state.participants
        .filter((p) => p.active)
        .map((p) => ({
          memberId: p.id,
          role: p.role,
          compartments: COMPARTMENTS.filter((c) => mayRead(ctx.policies, seen, p, c)),
          addedBy: addedBy.get(p.id) ?? p.id,
        })),
      compartments: COMPARTMENTS.map((name) => {
        const c = byName.get(name);
        const keyVersion = c?.key_version ?? 0;
        return {
          name,
          keyVersion,
          rotationRequired: c?.rotation_required ?? false,
          readable: mayRead(ctx.policies, state, { id: caller.memberId, role: caller.role }, name),
          holdsKey: keyVersion > 0 && holds(caller.memberId, name, keyVersion),
        };
      }),
      pendingGrants: [],
      consent: seen.consent,
      exceptions: seen.exceptions,
    };
    for (const c of view.compartments) {
      if (!c.holdsKey || c.rotationRequired) continue;
      for (const m of entitledMembers(ctx.policies, state, c.name)) {
        if (!holds(m.id, c.name, c.keyVersion))
          view.pendingGrants.push({ compartment: c.name, keyVersion: c.keyVersion, memberId: m.id });
      }
    }
    scope.audit({
      ...by(caller),
      type: 'case.read',
      outcome: 'success',
      caseId,
      resourceType: 'case',
      resourceId: caseId,
    });
    return view;
  });
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus;
  urgency: Urgency;
  referredAt: Date;
  /** The earliest sitting still planned, from now on, whose agenda holds the situation. */
  nextSittingAt: Date | null;
  /** `referredAt` to the microsecond: the list's order (newest first, then the id). */
  listedAt: string;
}

/**
 * One page (`limit + 1` rows after `after`, newest first) of the situations the caller sees: the
 * coordinator sees every open file of the CLSM; everyone else, the ones they take part in.
 */
export async function listCases(
  ctx: AppContext,
  caller: Caller,
  page: { after: TimeAndId | undefined; limit: number },
): Promise<CaseSummary[]> {
  authorize(ctx.policies, caller, { kind: 'clsm', action: 'case.list' });
  const all = seesAllCases(ctx.policies, caller);
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('cases as c')
      .select([
        'c.id',
        'c.reference',
        'c.status',
        'c.urgency',
        'c.referred_at',
        microText('c.referred_at').as('at'),
        (eb) =>
          eb
            .selectFrom('agenda_items as a')
            .innerJoin('sittings as s', (j) =>
              j.onRef('s.clsm_id', '=', 'a.clsm_id').onRef('s.id', '=', 'a.sitting_id'),
            )
            .select((e) => e.fn.min('s.scheduled_for').as('next'))
            .whereRef('a.clsm_id', '=', 'c.clsm_id')
            .whereRef('a.case_id', '=', 'c.id')
            .where('s.status', '=', 'planned')
            .where('s.scheduled_for', '>=', ctx.clock.now())
            .as('next_sitting_at'),
      ])
      .where('c.clsm_id', '=', caller.clsmId)
      .where('c.purged_at', 'is', null);
    if (!all) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('case_participants as p')
            .select('p.member_id')
            .whereRef('p.clsm_id', '=', 'c.clsm_id')
            .whereRef('p.case_id', '=', 'c.id')
            .where('p.member_id', '=', caller.memberId)
            .where('p.removed_at', 'is', null),
        ),
      );
    }
    if (page.after !== undefined) q = q.where(afterTimeAndId('c.referred_at', 'c.id', page.after, 'desc'));
    const rows = await q
      .orderBy('c.referred_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    // The page the caller is shown, not the row that only tells whether another page follows.
    await recordListRead(
      trx,
      caller,
      'case.list',
      rows.slice(0, page.limit).map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      urgency: r.urgency,
      referredAt: r.referred_at,
      nextSittingAt: r.next_sitting_at,
      listedAt: r.at,
    }));
  });
}
