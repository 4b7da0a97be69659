import { useCallback, useEffect, useState } from 'react';
import { FormattedDate } from 'react-intl';
import { Link, useParams } from 'react-router';
import type { Consent } from '../../../src/client/consent.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { Exceptions } from './consent-exceptions.js';
import { RecordConsent } from './consent-record.js';
import { useScopeText } from './consent-scope.js';
import { handoversOf, KeyHandover } from './key-handover.js';
import { useCircle } from './use-circle.js';

// Le panneau du consentement: the person's current position, recording a new one, the legal
// exceptions, and the whole history (nothing is ever overwritten).

type ConsentRecord = Awaited<ReturnType<Consent['history']>>['records'][number];

function History(props: { records: ConsentRecord[] }) {
  const m = useMessages();
  const scopeText = useScopeText();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{m('consent.history')}</h2>
      {props.records.length === 0 ? (
        <p>{m('consent.history.empty')}</p>
      ) : (
        <table aria-labelledby="history-title">
          <thead>
            <tr>
              <th scope="col">{m('consent.history.col.date')}</th>
              <th scope="col">{m('consent.history.col.decision')}</th>
              <th scope="col">{m('consent.history.col.scope')}</th>
              <th scope="col">{m('consent.history.col.obtained')}</th>
              <th scope="col">{m('consent.history.col.reviewOn')}</th>
            </tr>
          </thead>
          <tbody>
            {[...props.records].reverse().map((r) => (
              <tr key={r.id}>
                <td>
                  <FormattedDate value={r.recordedAt} dateStyle="medium" timeStyle="short" />
                </td>
                <td>{m(`consent.decision.${r.decision}` as MessageId)}</td>
                <td>{r.scope.length === 0 ? m('circle.none') : scopeText(r.scope)}</td>
                <td>
                  {r.obtained === null
                    ? m('consent.hidden')
                    : m(`consent.obtained.${r.obtained}` as MessageId)}
                </td>
                <td>
                  {r.reviewOn === null ? (
                    m('consent.history.noReview')
                  ) : (
                    <FormattedDate value={`${r.reviewOn}T12:00:00Z`} dateStyle="medium" timeZone="UTC" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ConsentScreen() {
  const m = useMessages();
  const { id = '' } = useParams();
  const { client } = useClient();
  const { view, people, error, reload } = useCircle(id);
  const scopeText = useScopeText();
  const [records, setRecords] = useState<ConsentRecord[]>([]);
  const [historyError, setHistoryError] = useState<unknown>(undefined);
  const loadHistory = useCallback(async () => {
    try {
      setRecords((await client.consent.history(id)).records);
    } catch (err) {
      setHistoryError(err);
    }
  }, [client, id]);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  const changed = async () => {
    await Promise.all([reload(), loadHistory()]);
  };
  if (view === undefined)
    return error === undefined ? <p>{m('common.loading')}</p> : <ErrorNotice error={error} />;
  const current = view.consent;
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('consent.title', { reference: view.reference })}</h1>
      <p>
        <Link to={`/situations/${id}`}>{m('circle.back')}</Link>
      </p>
      <p>{m('consent.intro')}</p>
      <ErrorNotice error={error ?? historyError} />
      <section aria-labelledby="current-title" className="notice">
        <h2 id="current-title">{m('consent.current')}</h2>
        <p>
          {current === null
            ? m('consent.current.none')
            : m(`consent.current.${current.decision}` as MessageId)}
        </p>
        {current !== null && current.scope.length > 0 ? (
          <p>{m('consent.current.scope', { scope: scopeText(current.scope) })}</p>
        ) : null}
      </section>
      <KeyHandover
        caseId={id}
        view={view}
        handovers={handoversOf(view, people)}
        people={people}
        onDone={reload}
      />
      <RecordConsent caseId={id} current={current?.scope ?? []} onRecorded={changed} />
      <Exceptions caseId={id} onChanged={changed} />
      <History records={records} />
    </section>
  );
}
