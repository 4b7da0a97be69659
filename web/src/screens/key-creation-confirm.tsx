import { Button } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { useMessages } from '../ui/messages.js';
import { ResultHeading } from '../ui/result-heading.js';
import type { Recipient } from './key-creation.js';

// The question asked before an entry creates a compartment's key: who will receive it (name, role,
// organisation, fingerprint), then Confirm or Cancel. Nothing is created or written before Confirm.

export function KeyCreationConfirm(props: {
  compartment: Compartment;
  recipients: readonly Recipient[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const m = useMessages();
  const { me } = useClient();
  const compartment = m(`compartment.${props.compartment}` as MessageId);
  return (
    <section aria-labelledby="new-key-title" className="notice">
      <ResultHeading id="new-key-title" level={3}>
        {m('write.newKey.title', { compartment })}
      </ResultHeading>
      <p>{m('write.newKey.intro')}</p>
      <table>
        <caption className="visually-hidden">{m('handover.recipients', { compartment })}</caption>
        <thead>
          <tr>
            <th scope="col">{m('circle.col.name')}</th>
            <th scope="col">{m('circle.col.role')}</th>
            <th scope="col">{m('circle.col.organisation')}</th>
            <th scope="col">{m('circle.col.fingerprint')}</th>
          </tr>
        </thead>
        <tbody>
          {props.recipients.map((r) => (
            <tr key={r.memberId}>
              <th scope="row">
                {r.memberId === me.memberId ? m('circle.you', { name: r.displayName }) : r.displayName}
              </th>
              <td>{r.role === 'unknown' ? '' : m(`role.${r.role}` as MessageId)}</td>
              <td>{r.organisation}</td>
              <td>
                {r.refused ? (
                  <span className="withheld">{m('handover.skipped')}</span>
                ) : (
                  <code>{r.fingerprint}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <Button className="button" isDisabled={props.busy} onPress={props.onCancel}>
          {m('common.cancel')}
        </Button>
        <Button className="button primary" isDisabled={props.busy} onPress={props.onConfirm}>
          {props.busy ? m('common.working') : m('write.newKey.confirm')}
        </Button>
      </div>
    </section>
  );
}
