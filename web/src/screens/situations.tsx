import { useEffect, useState } from 'react';
import { FormattedDate } from 'react-intl';
import { Link } from 'react-router';
import { useClient, useSession } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { OverdueReminder } from './overdue-reminder.js';

// The file active: the situations I take part in, filtered by status and urgency, with the next
// sitting that will discuss each.

type Row = {
  id: string;
  reference: string;
  status: string;
  urgency: string;
  referredAt: string;
  nextSittingAt: string | null;
};

const STATUSES = ['referred', 'accepted', 'under_review', 'action_plan', 'follow_up', 'closed', 'declined'];
const URGENCY_ORDER: Record<string, number> = { urgent: 0, soon: 1, routine: 2 };

export function SituationsScreen() {
  const m = useMessages();
  const { client } = useClient();
  const session = useSession();
  const [rows, setRows] = useState<Row[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [status, setStatus] = useState('all');
  const [urgency, setUrgency] = useState('all');
  useEffect(() => {
    client.cases.list().then((res) => {
      setRows(res.cases);
      void session.saveDirectoryHead();
    }, setError);
  }, [client]);

  const shown = (rows ?? [])
    .filter((r) => (status === 'all' || r.status === status) && (urgency === 'all' || r.urgency === urgency))
    .sort((a, b) => (URGENCY_ORDER[a.urgency] ?? 3) - (URGENCY_ORDER[b.urgency] ?? 3));
  const all = { id: 'all', label: m('list.filter.all') };
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('list.title')}</h1>
      <p>{m('list.intro')}</p>
      <OverdueReminder />
      <p>
        <Link className="button" to="/situations/nouvelle">
          {m('nav.refer')}
        </Link>
      </p>
      <div className="filters">
        <Choice
          label={m('list.filter.status')}
          name="status"
          value={status}
          onChange={setStatus}
          options={[all, ...STATUSES.map((s) => ({ id: s, label: m(`status.${s}` as MessageId) }))]}
        />
        <Choice
          label={m('list.filter.urgency')}
          name="urgency"
          value={urgency}
          onChange={setUrgency}
          options={[
            all,
            ...['urgent', 'soon', 'routine'].map((u) => ({ id: u, label: m(`urgency.${u}` as MessageId) })),
          ]}
        />
      </div>
      <ErrorNotice error={error} />
      {rows === undefined && error === undefined ? <p>{m('common.loading')}</p> : null}
      {rows !== undefined && shown.length === 0 ? <p>{m('list.empty')}</p> : null}
      {shown.length > 0 ? (
        <table>
          <caption className="visually-hidden">{m('list.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{m('list.col.reference')}</th>
              <th scope="col">{m('list.col.status')}</th>
              <th scope="col">{m('list.col.urgency')}</th>
              <th scope="col">{m('list.col.referredAt')}</th>
              <th scope="col">{m('list.col.nextSitting')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/situations/${r.id}`}>{r.reference}</Link>
                </td>
                <td>{m(`status.${r.status}` as MessageId)}</td>
                <td>{m(`urgency.${r.urgency}` as MessageId)}</td>
                <td>
                  <FormattedDate value={r.referredAt} dateStyle="medium" />
                </td>
                <td>
                  {r.nextSittingAt === null ? (
                    m('list.nextSitting.none')
                  ) : (
                    <FormattedDate value={r.nextSittingAt} dateStyle="medium" timeStyle="short" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
