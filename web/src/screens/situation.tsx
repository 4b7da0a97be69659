import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { Link, useParams } from 'react-router';
import type { CaseView, Compartment, TimelineEntry } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import { planVersionOf } from '../../../src/client/plan.js';
import { useClient, useSession } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { CONSENT_SCOPES } from './consent-scopes.js';
import { rotationsDue } from './key-handover.js';
import { SituationPerson } from './situation-person.js';
import { WriteEntry } from './write-entry.js';

// A situation's page: its entries, decrypted and verified on this device, by compartment, with
// author, date and signature state; an entry that does not verify, or whose key this device never
// received, is shown as withheld and says why; compartments the member may not read are shown as such.

/** The roles that may read a situation's access report (policies/cases.cedar, case/access-report). */
const REPORT_READERS = ['coordinator', 'dpo'];

type Shelf =
  | { name: Compartment; state: 'closed' }
  | { name: Compartment; state: 'empty' | 'no-key' }
  | { name: Compartment; state: 'read'; entries: TimelineEntry[] }
  | { name: Compartment; state: 'failed'; error: unknown };

async function readShelf(
  read: (c: Compartment) => Promise<TimelineEntry[]>,
  c: CaseView['compartments'][number],
): Promise<Shelf> {
  if (!c.readable) return { name: c.name, state: 'closed' };
  if (c.keyVersion === 0) return { name: c.name, state: 'empty' };
  try {
    const entries = await read(c.name);
    return { name: c.name, state: 'read', entries };
  } catch (error) {
    return c.holdsKey ? { name: c.name, state: 'failed', error } : { name: c.name, state: 'no-key' };
  }
}

/** The coordinator accepts a referred situation (case/coordinator): it may then go on a sitting's agenda. */
function AcceptSituation(props: { caseId: string; onAccepted(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const { busy, error, run } = useAction(async () => {
    await client.cases.transition(props.caseId, 'accept');
    await props.onAccepted();
  });
  return (
    <>
      <Button className="button" isDisabled={busy} onPress={() => void run()}>
        {m('situation.accept')}
      </Button>
      <ErrorNotice error={error} />
    </>
  );
}

export function SituationScreen() {
  const m = useMessages();
  const { id = '' } = useParams();
  const { client, me } = useClient();
  const session = useSession();
  const [view, setView] = useState<CaseView | undefined>(undefined);
  const [shelves, setShelves] = useState<Shelf[]>([]);
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(undefined);

  const load = useCallback(async () => {
    try {
      const v = await client.cases.view(id);
      setView(v);
      setMembers(await client.members());
      const read = (c: Compartment) => client.cases.timeline(id, c);
      // The person's space has its own section (situation-person.tsx): its entries are typed.
      const shelved = v.compartments.filter((c) => c.name !== 'person');
      setShelves(await Promise.all(shelved.map((c) => readShelf(read, c))));
      await session.saveDirectoryHead();
    } catch (err) {
      setError(err);
    }
  }, [client, id]);
  useEffect(() => {
    void load();
  }, [load]);

  const authorName = (memberId: string) =>
    members.find((x) => x.id === memberId)?.displayName ?? m('entry.unknownAuthor');
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (view === undefined) return <p>{m('common.loading')}</p>;
  // A compartment waiting for a new key is written to once its recipients were shown and confirmed
  // in the cercle: writing would otherwise make the new key without asking.
  const rotating = rotationsDue(view);
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('situation.title', { reference: view.reference })}</h1>
      <p>
        {m('situation.status', { status: m(`status.${view.status}` as MessageId) })} ·{' '}
        {m('situation.urgency', { urgency: m(`urgency.${view.urgency}` as MessageId) })}
      </p>
      <nav aria-label={m('situation.title', { reference: view.reference })} className="row-actions">
        <Link to={`/situations/${id}/cercle`}>{m('situation.circle')}</Link>
        <Link to={`/situations/${id}/consentement`}>{m('situation.consent')}</Link>
        <Link to={`/situations/${id}/plan`}>{m('situation.plan')}</Link>
        {REPORT_READERS.includes(me.role) ? (
          <Link to={`/situations/${id}/acces`}>{m('situation.report')}</Link>
        ) : null}
      </nav>
      {me.role === 'coordinator' && view.status === 'referred' ? (
        <AcceptSituation caseId={id} onAccepted={load} />
      ) : null}
      {view.consent !== null && view.consent.decision !== 'given' ? (
        <p className="notice">{m(`situation.consent.${view.consent.decision}` as MessageId)}</p>
      ) : null}
      <h2>{m('situation.timeline')}</h2>
      {shelves.map((shelf) => (
        <section key={shelf.name} aria-labelledby={`c-${shelf.name}`} className="compartment">
          <h3 id={`c-${shelf.name}`}>{m(`compartment.${shelf.name}` as MessageId)}</h3>
          {shelf.state === 'closed' ? (
            <p className="muted">
              {CONSENT_SCOPES.includes(`${me.role}:${shelf.name}`)
                ? m('situation.consentClosed')
                : m('situation.noAccess')}
            </p>
          ) : null}
          {shelf.state === 'empty' ? <p className="muted">{m('situation.empty')}</p> : null}
          {shelf.state === 'no-key' ? <p className="muted">{m('situation.noKey')}</p> : null}
          {shelf.state === 'failed' ? (
            <>
              <p>{m('situation.readFailed')}</p>
              <ErrorNotice error={shelf.error} />
            </>
          ) : null}
          {shelf.state === 'read' && shelf.entries.length === 0 ? (
            <p className="muted">{m('situation.empty')}</p>
          ) : null}
          {shelf.state === 'read' && shelf.entries.length > 0 ? (
            <ol className="timeline">
              {[...shelf.entries].reverse().map((e) => (
                <li key={e.id} className="entry">
                  {e.state === 'verified' && planVersionOf(e) !== undefined ? (
                    <p className="entry-text">
                      <Link to={`/situations/${id}/plan`}>{m('entry.plan')}</Link>
                    </p>
                  ) : e.state === 'verified' ? (
                    <p className="entry-text">{new TextDecoder().decode(e.plaintext)}</p>
                  ) : (
                    <p className="entry-text muted">{m(`entry.withheld.${e.reason}`)}</p>
                  )}
                  <p className="entry-meta">
                    <FormattedMessage
                      id="entry.by"
                      values={{
                        author: authorName(e.authorId),
                        date: <FormattedDate value={e.createdAt} dateStyle="medium" timeStyle="short" />,
                      }}
                    />
                    {' · '}
                    {e.state === 'verified' ? (
                      <span className="verified">{m('entry.verified')}</span>
                    ) : (
                      <span className="withheld">{m('entry.notShown')}</span>
                    )}
                  </p>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ))}
      {rotating.length > 0 ? (
        <div className="notice">
          <p>{m('situation.handover')}</p>
          <Link to={`/situations/${id}/cercle`}>{m('situation.handover.link')}</Link>
        </div>
      ) : null}
      <SituationPerson view={view} members={members} onChanged={load} />
      <WriteEntry
        caseId={id}
        compartments={view.compartments
          .filter((c) => c.readable && c.name !== 'person' && !rotating.includes(c.name))
          .map((c) => c.name)}
        onSaved={load}
      />
    </section>
  );
}
