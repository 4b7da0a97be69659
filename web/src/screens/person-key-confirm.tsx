import { Button } from 'react-aria-components';
import { useMessages } from '../ui/messages.js';
import type { Recipient } from './key-creation.js';

// Before the person's message makes a new key of their space (after someone lost access), they see
// who will be able to read it, in plain words, and send it or not.

export function PersonKeyConfirm(props: {
  recipients: Recipient[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const m = useMessages();
  return (
    <section aria-labelledby="person-key-title" className="notice">
      <h3 id="person-key-title">{m('person.key.title')}</h3>
      <p>{m('person.key.intro')}</p>
      <ul>
        {props.recipients
          .filter((r) => !r.refused)
          .map((r) => (
            <li key={r.memberId}>
              {r.displayName}, {r.organisation}
            </li>
          ))}
      </ul>
      <div className="actions">
        <Button className="button" onPress={props.onCancel}>
          {m('person.key.cancel')}
        </Button>
        <Button className="button primary" isDisabled={props.busy} onPress={props.onConfirm}>
          {props.busy ? m('common.working') : m('person.key.confirm')}
        </Button>
      </div>
    </section>
  );
}
