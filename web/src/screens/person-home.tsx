import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CaseListItem } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { PersonFolder } from './person-folder.js';

// "Mon espace", where the app opens for the person: their file, or, when they take part in several
// situations (rarely), the list to choose from.

export function PersonHomeScreen() {
  const m = useMessages();
  const { id } = useParams();
  const { client } = useClient();
  const [cases, setCases] = useState<CaseListItem[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (id !== undefined) return;
    client.cases.list().then((l) => {
      setCases(l.cases);
    }, setError);
  }, [client, id]);
  const only = cases?.length === 1 ? cases[0] : undefined;
  const shown = id ?? only?.id;
  return (
    <section aria-labelledby="title" className="person-space">
      <h1 id="title">{m('person.title')}</h1>
      <p>{m('person.intro')}</p>
      <ErrorNotice error={error} />
      {shown !== undefined ? (
        <>
          {id === undefined ? null : (
            <p>
              <Link to="/mon-espace">{m('person.back')}</Link>
            </p>
          )}
          <PersonFolder key={shown} caseId={shown} />
        </>
      ) : cases === undefined ? (
        error === undefined ? (
          <p>{m('common.loading')}</p>
        ) : null
      ) : cases.length === 0 ? (
        <p>{m('person.none')}</p>
      ) : (
        <>
          <p>{m('person.choose')}</p>
          <ul className="person-list">
            {cases.map((c) => (
              <li key={c.id}>
                <Link className="button" to={`/mon-espace/${c.id}`}>
                  {m('person.folder', { reference: c.reference })}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
