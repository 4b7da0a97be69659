import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { COMPARTMENTS, type Compartment } from '../kernel/compartments.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import type { AuditActor, LegalBasis } from '../kernel/audit-events.js';
import type { CaseState } from '../access/case-state.js';
import { revokeGrants } from '../keys/revocation.js';
import { mayRead } from '../keys/entitlement.js';
import type { AuditSink } from '../unit-of-work/audit-buffer.js';

// When consent is withdrawn or narrowed, or an exception ends, whoever is no longer entitled to a
// compartment loses its keys at once, and the compartment must be rotated before it is written again.

function readable(policies: PolicyEngine, state: CaseState): Map<string, Set<Compartment>> {
  const map = new Map<string, Set<Compartment>>();
  for (const p of state.participants.filter((x) => x.active)) {
    map.set(p.id, new Set(COMPARTMENTS.filter((c) => mayRead(policies, state, p, c))));
  }
  return map;
}

/** Revokes the keys of every (member, compartment) readable before and not after. Returns what was lost. */
export async function revokeLostAccess(
  trx: Transaction<Database>,
  sink: AuditSink,
  policies: PolicyEngine,
  actor: AuditActor,
  before: CaseState,
  after: CaseState,
  basis: LegalBasis,
): Promise<{ memberId: string; compartments: Compartment[] }[]> {
  const was = readable(policies, before);
  const now = readable(policies, after);
  const lost: { memberId: string; compartments: Compartment[] }[] = [];
  for (const [memberId, compartments] of was) {
    const gone = [...compartments].filter((c) => !(now.get(memberId)?.has(c) ?? false));
    if (gone.length === 0) continue;
    await revokeGrants(trx, sink, actor, before.row.id, memberId, gone, basis);
    lost.push({ memberId, compartments: gone });
  }
  return lost;
}
