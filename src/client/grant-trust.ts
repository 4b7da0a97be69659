import type { CaseLogState } from '../crypto/case-log-state.js';
import type { Compartment, WireGrant } from './case-wire.js';
import { mayHoldKey, roleMayEverHold, type EntitlementFacts } from './entitled.js';
import { everTookPart, latestKey } from './log-facts.js';

/**
 * Whether a grant from another member is believed, by the verified log: only for a key version the
 * log records, from the member who made it or from one entitled to it now. A grant of an older
 * version may come from a member who has since left, been suspended or lost a consent: it is also
 * believed from one who took part in the situation in a role that can hold the compartment at all;
 * a key so opened is never written under (`current` checks its granter again).
 */
export function believes(
  log: CaseLogState,
  facts: EntitlementFacts,
  compartment: Compartment,
  g: WireGrant,
): boolean {
  const version = log.keys.get(compartment)?.find((k) => k.version === g.keyVersion);
  if (version === undefined) return false;
  if (version.authorId === g.granterId || mayHoldKey(facts, g.granterId, compartment)) return true;
  const older = version !== latestKey(log, compartment);
  return (
    older && everTookPart(log, g.granterId) && roleMayEverHold(facts.roles.get(g.granterId), compartment)
  );
}
