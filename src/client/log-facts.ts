import type { CaseLogState, LogException, LogKeyVersion } from '../crypto/case-log-state.js';
import type { EntitlementFacts } from './entitled.js';

// What a situation's verified membership log says, in the terms the device decides on: who takes
// part with which compartments, the consent, the exceptions in force now, the key versions, and
// whether a compartment's current key was made before a change that took it from someone.

const HOUR = 3_600_000;

/** When an approved exception ends: its duration from its approval, or the earlier deadline it was given. */
export function exceptionDeadline(e: LogException): number | undefined {
  if (e.approvedAt === null) return undefined;
  const end = Date.parse(e.approvedAt) + e.hours * HOUR;
  return e.until === null ? end : Math.min(end, Date.parse(e.until));
}

const inForce = (e: LogException, now: number) => !e.closed && (exceptionDeadline(e) ?? -Infinity) > now;

/** The facts of entitled.ts, from the log (participants, consent, exceptions) and the verified directory (roles). */
export function factsFromLog(
  log: CaseLogState,
  roles: ReadonlyMap<string, string>,
  now: number,
): EntitlementFacts {
  return {
    participants: [...log.participants].map(([memberId, p]) => ({
      memberId,
      compartments: p.compartments as EntitlementFacts['participants'][number]['compartments'],
    })),
    consent: log.consent,
    exceptions: [...log.exceptions.values()].filter((e) => inForce(e, now)),
    roles,
  };
}

/** The compartment's newest key version in the log. */
export const latestKey = (log: CaseLogState, compartment: string): LogKeyVersion | undefined =>
  log.keys.get(compartment)?.at(-1);

/**
 * Whether the compartment's newest key was made before a change that took the compartment from
 * someone (a removal, a narrowing, a consent narrowed or withdrawn, an exception closed, shortened
 * or run out): whoever lost it may hold that key, so nothing more is written under it.
 */
export function rotationDue(log: CaseLogState, compartment: string, now: number): boolean {
  const key = latestKey(log, compartment);
  if (key === undefined) return true;
  if ((log.retired.get(compartment) ?? -1) > key.seq) return true;
  const made = Date.parse(key.at);
  return [...log.exceptions.values()].some((e) => {
    const end = exceptionDeadline(e);
    return (
      !e.closed &&
      end !== undefined &&
      end > made &&
      end <= now &&
      e.scope.some((pair) => pair.endsWith(`:${compartment}`))
    );
  });
}

/** Whether the member ever took part in the situation, by the log. */
export const everTookPart = (log: CaseLogState, memberId: string): boolean =>
  log.statements.some((s) => (s.kind === 'opened' || s.kind === 'added') && s.subjectId === memberId);
