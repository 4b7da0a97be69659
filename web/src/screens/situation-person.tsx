import { useCallback, useEffect, useState } from 'react';
import type { CaseView } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import { readPersonSpace, type PersonSpace } from '../../../src/client/person-space.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { rotationsDue } from './key-handover.js';
import { PersonInvite } from './situation-person-invite.js';
import { PersonShare, PersonWrote } from './situation-person-share.js';

// "Espace de la personne" in a situation's page: inviting the person (face to face), what the team
// shares with them, and what they wrote back. Only the professionals bound to the situation invite.

/** Who may open the person's space to them (policies/cases.cedar, case/person-invite). */
const INVITERS = ['coordinator', 'health_professional', 'social_worker'];

export function SituationPerson(props: {
  view: CaseView;
  members: Member[];
  onChanged: () => Promise<void>;
}) {
  const m = useMessages();
  const { client, me } = useClient();
  const caseId = props.view.id;
  const own = props.view.compartments.find((c) => c.name === 'person');
  const [space, setSpace] = useState<PersonSpace | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const readable = own?.readable === true;
  const keyVersion = own?.keyVersion ?? 0;
  // Read again whenever the situation's page reloads its view (an entry shared, a key handed over).
  const load = useCallback(async () => {
    if (!readable) return;
    try {
      const entries = keyVersion === 0 ? [] : await client.cases.timeline(caseId, 'person');
      // The person's words are those signed by a member the directory's log certifies as a person.
      const persons = new Set(props.members.filter((x) => x.role === 'person').map((x) => x.id));
      setSpace(readPersonSpace(entries, (authorId) => persons.has(authorId)));
    } catch (err) {
      setError(err);
    }
  }, [client, caseId, readable, keyVersion, props.members]);
  useEffect(() => {
    void load();
  }, [load, props.view]);
  if (own === undefined) return null;
  const nameOf = (id: string) =>
    props.members.find((x) => x.id === id)?.displayName ?? m('entry.unknownAuthor');
  const changed = async () => {
    await props.onChanged();
  };
  return (
    <section aria-labelledby="person-side-title" className="compartment">
      <h2 id="person-side-title">{m('personSide.title')}</h2>
      <p>{m('personSide.intro')}</p>
      {INVITERS.includes(me.role) ? <PersonInvite view={props.view} onChanged={changed} /> : null}
      {own.readable ? null : <p className="muted">{m('personSide.closed')}</p>}
      <ErrorNotice error={error} />
      <PersonShare
        caseId={caseId}
        writable={own.readable && !rotationsDue(props.view).includes('person')}
        readsDecisions={props.view.compartments.some((c) => c.name === 'committee' && c.readable)}
        onSaved={changed}
      />
      {space === undefined ? null : <PersonWrote space={space} nameOf={nameOf} />}
    </section>
  );
}
