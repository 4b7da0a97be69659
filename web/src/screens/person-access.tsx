import { FormattedDate, FormattedMessage } from 'react-intl';
import type { AccessReport } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { useMessages } from '../ui/messages.js';
import { partWords } from './person-words.js';

// "Qui a consulté mon dossier": the situation's access report, as the coordinator or the DPO would
// hand it over, in plain words and newest first: when, who (name and what they do), what they did,
// and whether it was refused.

type Line = AccessReport['lines'][number];

const DID = new Set([
  'case.read',
  'compartment.read',
  'entry.written',
  'consent.recorded',
  'consent.withdrawn',
  'consent.read',
  'key.rotated',
  'grant.given',
  'grant.revoked',
  'participant.added',
  'participant.removed',
  'access.denied',
  'decision.recorded',
]);
const ROLES = new Set(['coordinator', 'health_professional', 'social_worker', 'partner', 'dpo', 'person']);

/** What the person did themselves, said to them: "Vous avez lu : …". */
const YOU_DID = new Set([
  'case.read',
  'compartment.read',
  'entry.written',
  'consent.recorded',
  'consent.withdrawn',
  'consent.read',
]);

export function PersonAccess(props: { report: AccessReport }) {
  const m = useMessages();
  const { me } = useClient();
  const who = (l: Line) => {
    if (l.memberId === null) return m('person.access.system');
    const name = l.displayName ?? m('person.someone');
    return l.role !== null && ROLES.has(l.role)
      ? m('person.access.member', { name, role: m(`person.access.role.${l.role}` as MessageId) })
      : name;
  };
  const what = (l: Line) => {
    const part = partWords(m, l.compartment);
    if (l.memberId === me.memberId)
      return YOU_DID.has(l.type)
        ? m(`person.access.you.${l.type}` as MessageId, { part })
        : m('person.access.you.other', { what: l.type });
    if (l.outcome !== 'success') return m('person.access.tried', { part });
    return DID.has(l.type)
      ? m(`person.access.did.${l.type}` as MessageId, { part })
      : m('person.access.did.other', { what: l.type });
  };
  return (
    <section aria-labelledby="person-access" className="person-section">
      <h2 id="person-access">{m('person.access.title')}</h2>
      <p>{m('person.access.intro')}</p>
      {props.report.lines.length === 0 ? (
        <p>{m('person.access.none')}</p>
      ) : (
        <ol className="person-list">
          {[...props.report.lines].reverse().map((l, i) => {
            const date = (
              <time dateTime={l.at}>
                <FormattedDate value={l.at} dateStyle="medium" timeStyle="short" />
              </time>
            );
            return (
              <li key={i} className={l.outcome === 'success' ? undefined : 'person-refused'}>
                {l.memberId === me.memberId ? (
                  <FormattedMessage id="person.access.lineYou" values={{ date, what: what(l) }} />
                ) : (
                  <FormattedMessage id="person.access.line" values={{ date, who: who(l), what: what(l) }} />
                )}
                {l.outcome === 'success' ? null : <strong> {m('person.access.denied')}</strong>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
