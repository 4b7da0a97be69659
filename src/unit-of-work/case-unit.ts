import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { CaseAction, CompartmentAction } from '../kernel/actions.js';
import type { Compartment } from '../kernel/compartments.js';
import { authorize, wouldAllow, type Caller, type CaseFacts, type Resource } from '../access/authorize.js';
import type { LegalBasis } from '../kernel/audit-events.js';
import { factsFor, type CaseState } from '../access/case-state.js';
import { AuditBuffer, type AuditSink } from './audit-buffer.js';
import { findCase } from './find-case.js';
import { inUnit } from './unit.js';

// One unit of work on one situation: the transaction (none for a work of one statement), the
// situation's state loaded once, one decision of the gate for one typed action, and the audit
// events appended last.

export type UnitContext = Pick<AppContext, 'db' | 'reads' | 'policies' | 'clock'>;

/** The caller's relation to what a case action touches, beyond the situation itself. */
export type Relation = Pick<
  Extract<Resource, { kind: 'case' }>,
  'targetRole' | 'isRequester' | 'isApprover' | 'isAssignee'
>;

/** `D`: what the unit runs its statements through: its transaction, or the database (one statement). */
interface Target<F, D> {
  /** The situation, or how to find it from one of its objects (a decision, a follow-up action). */
  caseId: string | ((trx: D) => Promise<string>);
  /**
   * What the decision needs besides the situation (the member being added, the exception being
   * approved): read after the situation, before the gate is asked; `found` is handed to the work.
   */
  find?: (trx: D, state: CaseState) => Promise<{ found: F; relation?: Relation }>;
  /** The situation is opened even once purged: what it keeps (its access report) outlives its file. */
  evenPurged?: true;
}

export type CaseRequest<F = undefined, D = Transaction<Database>> =
  | (Target<F, D> & { action: CaseAction })
  | (Target<F, D> & { action: CompartmentAction; compartment: Compartment });

export interface CaseScope<F = undefined> extends AuditSink {
  readonly caller: Caller;
  readonly now: Date;
  readonly state: CaseState;
  /** The caller's facts, as the gate read them. */
  readonly facts: CaseFacts;
  /** The ground of an allowed compartment access (care team, consent, exception, law). */
  readonly legalBasis: LegalBasis | undefined;
  readonly found: F;
  /** Whether the policy shows the caller another aspect of this situation (a field's audience). */
  allows(action: CaseAction): boolean;
}

export async function withCase<T, F = undefined>(
  ctx: UnitContext,
  caller: Caller,
  request: CaseRequest<F>,
  work: (trx: Transaction<Database>, scope: CaseScope<F>) => Promise<T>,
): Promise<T> {
  return inUnit(ctx.db, async (trx, audit) => work(trx, await openCase(trx, ctx, caller, request, audit)));
}

/**
 * A unit of one statement on a situation, without a transaction (docs/adr/0037): its state in one
 * statement (on a read lane: docs/adr/0043), one decision of the gate, the work's statement, then
 * the events handed to the scope appended and committed before the answer, in one statement with
 * those of the units finishing meanwhile (docs/adr/0040). For a read, whose transaction gave its
 * statements nothing at READ COMMITTED; and for a write that carries its own events in its one
 * statement (an entry). A work of several writes belongs in `withCase`: each would commit alone.
 */
export async function withCaseStatement<T>(
  ctx: UnitContext,
  caller: Caller,
  request: CaseRequest<undefined, Kysely<Database>>,
  work: (db: Kysely<Database>, scope: CaseScope) => Promise<T>,
): Promise<T> {
  const events = new AuditBuffer();
  const result = await work(ctx.db, await openCase(ctx.reads, ctx, caller, request, events));
  await events.flushGathered(ctx.db);
  return result;
}

/** A situation opened inside a unit that is already running (a sitting's agenda item). */
export async function openCase<F, D extends Kysely<Database>>(
  trx: D,
  ctx: UnitContext,
  caller: Caller,
  request: CaseRequest<F, D>,
  sink: AuditSink,
): Promise<CaseScope<F>> {
  const caseId = typeof request.caseId === 'string' ? request.caseId : await request.caseId(trx);
  const now = ctx.clock.now();
  const state = await findCase(trx, ctx.policies, caller, caseId, now, request);
  const { found, relation } =
    request.find === undefined ? { found: undefined as F, relation: {} } : await request.find(trx, state);
  const facts = factsFor(state, caller);
  const legalBasis = authorize(
    ctx.policies,
    caller,
    'compartment' in request
      ? { kind: 'compartment', action: request.action, facts, compartment: request.compartment }
      : { kind: 'case', action: request.action, facts, ...relation },
  );
  return {
    caller,
    now,
    state,
    facts,
    legalBasis,
    found,
    audit: (event) => {
      sink.audit(event);
    },
    allows: (action) => wouldAllow(ctx.policies, caller, { kind: 'case', action, facts }),
  };
}
