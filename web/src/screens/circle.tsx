import { Link, useParams } from 'react-router';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { AddParticipant } from './circle-add.js';
import { PendingAdditions } from './circle-requests.js';
import { RowActions } from './circle-row-actions.js';
import { handoversOf, KeyHandover } from './key-handover.js';
import { useCircle } from './use-circle.js';

// Le cercle: who takes part in a situation, with role, organisation, what they need to know and
// the fingerprint of their keys; adding, narrowing, removing; and the keys to hand over after.

export function CircleScreen() {
  const m = useMessages();
  const { id = '' } = useParams();
  const { me } = useClient();
  const { view, people, error, reload } = useCircle(id);
  if (view === undefined)
    return error === undefined ? <p>{m('common.loading')}</p> : <ErrorNotice error={error} />;
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('circle.title', { reference: view.reference })}</h1>
      <p>
        <Link to={`/situations/${id}`}>{m('circle.back')}</Link>
      </p>
      <p>{m('circle.intro')}</p>
      <ErrorNotice error={error} />
      <KeyHandover
        caseId={id}
        view={view}
        handovers={handoversOf(view, people)}
        people={people}
        onDone={reload}
      />
      <h2 id="participants-title">{m('circle.participants')}</h2>
      <table aria-labelledby="participants-title">
        <thead>
          <tr>
            <th scope="col">{m('circle.col.name')}</th>
            <th scope="col">{m('circle.col.role')}</th>
            <th scope="col">{m('circle.col.organisation')}</th>
            <th scope="col">{m('circle.col.compartments')}</th>
            <th scope="col">{m('circle.col.fingerprint')}</th>
            <th scope="col">{m('circle.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {view.participants.map((p) => {
            const person = people.get(p.memberId);
            const name = person?.name ?? m('entry.unknownAuthor');
            return (
              <tr key={p.memberId}>
                <th scope="row">{p.memberId === me.memberId ? m('circle.you', { name }) : name}</th>
                <td>{m(`role.${p.role}` as MessageId)}</td>
                <td>{person?.organisation}</td>
                <td>
                  {p.compartments.length === 0
                    ? m('circle.none')
                    : p.compartments.map((c) => m(`compartment.${c}` as MessageId)).join(', ')}
                </td>
                <td>
                  {person?.refused === true ? (
                    <span className="withheld">{m('circle.keysRefused')}</span>
                  ) : (
                    <code>{person?.fingerprint ?? m('circle.noKeys')}</code>
                  )}
                </td>
                <td>
                  {p.memberId === me.memberId ? null : (
                    <RowActions
                      caseId={id}
                      memberId={p.memberId}
                      name={name}
                      compartments={p.compartments}
                      onChanged={reload}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <PendingAdditions caseId={id} view={view} people={people} onDecided={reload} />
      <AddParticipant
        caseId={id}
        people={people}
        participants={view.participants.map((p) => p.memberId)}
        onAdded={reload}
      />
    </section>
  );
}
