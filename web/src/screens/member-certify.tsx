import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// Certifying the keys the server registered for a member, once the check matched: the four-symbol
// code a newcomer reads out, or the whole fingerprint of a certified member's new device (after a
// recovery; the SDK then signs a `device` statement).

export function Certify(props: { member: Member; by: 'sas' | 'fingerprint'; onCertified(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [typed, setTyped] = useState('');
  const name = props.member.displayName;
  const bySas = props.by === 'sas';
  const { busy, error, run } = useAction(async () => {
    await client.directoryWriter.certify(props.member.id, bySas ? { sas: typed } : { fingerprint: typed });
    await props.onCertified();
  });
  return (
    <Form
      aria-label={m(bySas ? 'members.certify.form' : 'members.newKeys.form', { name })}
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <Field
        label={m(bySas ? 'members.certify.sas' : 'members.newKeys.fingerprint', { name })}
        name={bySas ? 'sas' : 'fingerprint'}
        value={typed}
        onChange={setTyped}
        autoComplete="off"
        description={m(bySas ? 'members.certify.help' : 'members.newKeys.help')}
      />
      <ErrorNotice error={error} action={bySas ? 'member.certify' : 'member.certifyDevice'} />
      <Button type="submit" className="button primary" isDisabled={busy}>
        {m('members.certify.submit')}
      </Button>
    </Form>
  );
}
