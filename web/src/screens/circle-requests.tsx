import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import type { ParticipantRequest } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import type { Person } from './use-circle.js';

// Additions that wait for a second participant bound by secrecy (four eyes): who would join, who
// asked, and, for a health professional or social worker of the situation, approve or turn down.
// Approving makes them a participant; their keys are then handed over in the panel above, after
// the usual confirmation.

export function PendingAdditions(props: {
  caseId: string;
  /** The situation as last loaded: the list is asked again each time it changes. */
  view: unknown;
  people: Map<string, Person>;
  onDecided(): Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const [requests, setRequests] = useState<ParticipantRequest[]>([]);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setRequests(await client.cases.participantRequests(props.caseId));
    } catch (err) {
      setLoadError(err);
    }
  }, [client, props.caseId]);
  useEffect(() => {
    void load();
  }, [load, props.view]);
  const { busy, error, run } = useAction(async (requestId: string, decision: 'approve' | 'refuse') => {
    await client.cases.decideParticipant(props.caseId, requestId, decision, { handOverKeys: false });
    await Promise.all([load(), props.onDecided()]);
  });
  if (requests.length === 0) return <ErrorNotice error={loadError} />;
  const name = (id: string) => props.people.get(id)?.name ?? m('entry.unknownAuthor');
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">{m('circle.requests.title')}</h2>
      <p>{m('circle.requests.explain')}</p>
      <ErrorNotice error={error} action="participant.approve" />
      <table aria-labelledby="requests-title">
        <thead>
          <tr>
            <th scope="col">{m('circle.col.name')}</th>
            <th scope="col">{m('circle.col.role')}</th>
            <th scope="col">{m('circle.requests.col.askedBy')}</th>
            <th scope="col">{m('circle.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => {
            const role = props.people.get(r.memberId)?.role;
            return (
              <tr key={r.id}>
                <th scope="row">{name(r.memberId)}</th>
                <td>{role === undefined ? null : m(`role.${role}` as MessageId)}</td>
                <td>
                  {name(r.requestedBy)}, <FormattedDate value={r.requestedAt} dateStyle="medium" />
                </td>
                <td className="actions">
                  <Button
                    className="button"
                    isDisabled={busy}
                    onPress={() => void run(r.id, 'approve')}
                    aria-label={m('circle.requests.approve.label', { name: name(r.memberId) })}
                  >
                    {m('circle.requests.approve')}
                  </Button>
                  <Button
                    className="button danger"
                    isDisabled={busy}
                    onPress={() => void run(r.id, 'refuse')}
                    aria-label={m('circle.requests.refuse.label', { name: name(r.memberId) })}
                  >
                    {m('circle.requests.refuse')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
