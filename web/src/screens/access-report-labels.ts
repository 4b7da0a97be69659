import type { AccessReport } from '../../../src/client/cases.js';
import { fr, type MessageId } from '../i18n/fr.js';

// The access report's codes in words: events, roles, compartments, outcomes and legal bases take
// their catalogue message; a code the catalogue does not know (a newer server) shows as it is.

export type AccessLine = AccessReport['lines'][number];
type Messages = (id: MessageId, values?: Record<string, string | number>) => string;

function wordsFor(m: Messages, prefix: string, code: string): string {
  const id = `${prefix}.${code}`;
  return id in fr ? m(id as MessageId) : code;
}

export const eventLabel = (m: Messages, type: string) => wordsFor(m, 'report.event', type);
export const compartmentLabel = (m: Messages, compartment: string) => wordsFor(m, 'compartment', compartment);
export const basisLabel = (m: Messages, basis: string) => wordsFor(m, 'report.basis', basis);
export const outcomeLabel = (m: Messages, outcome: string) => wordsFor(m, 'report.outcome', outcome);

/** Who acted: name, role and organisation of the member, or the service itself. */
export function actorLabel(m: Messages, line: AccessLine): string {
  if (line.memberId === null) return m('report.system');
  const details = [line.role === null ? null : wordsFor(m, 'role', line.role), line.organisation]
    .filter((d) => d !== null)
    .join(', ');
  const name = line.displayName ?? m('entry.unknownAuthor');
  return details === '' ? name : m('report.member', { name, details });
}
