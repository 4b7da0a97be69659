import { useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { AccessReport } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { useMessages } from '../ui/messages.js';
import { eventLabel } from './access-report-labels.js';
import { partWords } from './person-words.js';

// "Qui a consulté mon dossier": the situation's access report, as the coordinator or the DPO would
// hand it over, in plain words and newest first: when, who (name and what they do), what they did,
// and whether it was refused. The same thing done several times in a row is one line, with how many
// times; the older lines wait behind a button, so that a phone shows the latest first.

type Line = AccessReport['lines'][number];
interface Group {
  line: Line;
  count: number;
}

const DID = new Set([
  'case.read',
  'case.referred',
  'case.transitioned',
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
  'list.read',
  'sitting.read',
  'exception.opened',
  'exception.approved',
  'exception.closed',
]);
/** What the person did themselves, said to them: "Vous avez lu : …". */
const YOU_DID = new Set([
  'case.read',
  'compartment.read',
  'entry.written',
  'consent.recorded',
  'consent.withdrawn',
  'consent.read',
  'exception.read',
  'audit.read',
  'list.read',
  'decision.recorded',
]);
const ROLES = new Set(['coordinator', 'health_professional', 'social_worker', 'partner', 'dpo', 'person']);
/** Lines shown before the person asks for the older ones. */
const FIRST = 20;

const same = (a: Line, b: Line) =>
  a.memberId === b.memberId &&
  a.type === b.type &&
  a.compartment === b.compartment &&
  a.outcome === b.outcome;

/** Newest first, the same thing done again and again in a row as one line. */
export function grouped(lines: readonly Line[]): Group[] {
  const out: Group[] = [];
  for (const line of [...lines].reverse()) {
    const last = out.at(-1);
    if (last !== undefined && same(last.line, line)) last.count += 1;
    else out.push({ line, count: 1 });
  }
  return out;
}

export function PersonAccess(props: { report: AccessReport }) {
  const m = useMessages();
  const { me } = useClient();
  const [all, setAll] = useState(false);
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
        : m('person.access.you.other');
    if (l.outcome !== 'success') return m('person.access.tried', { part });
    return DID.has(l.type)
      ? m(`person.access.did.${l.type}` as MessageId, { part })
      : m('person.access.did.other', { what: eventLabel(m, l.type) });
  };
  const groups = grouped(props.report.lines);
  const shown = all ? groups : groups.slice(0, FIRST);
  return (
    <section aria-labelledby="person-access" className="person-section">
      <h2 id="person-access">{m('person.access.title')}</h2>
      <p>{m('person.access.intro')}</p>
      {groups.length === 0 ? (
        <p>{m('person.access.none')}</p>
      ) : (
        <ol className="person-list">
          {shown.map(({ line: l, count }, i) => {
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
                {count > 1 ? ` ${m('person.access.times', { count })}` : null}
                {l.outcome === 'success' ? null : <strong> {m('person.access.denied')}</strong>}
              </li>
            );
          })}
        </ol>
      )}
      {shown.length < groups.length ? (
        <Button
          className="button"
          onPress={() => {
            setAll(true);
          }}
        >
          {m('person.access.more', { count: groups.length - shown.length })}
        </Button>
      ) : null}
    </section>
  );
}
