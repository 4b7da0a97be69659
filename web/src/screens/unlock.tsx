import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link } from 'react-router';
import { useSession } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

export function UnlockScreen() {
  const m = useMessages();
  const session = useSession();
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, run } = useAction(async () => {
    try {
      await session.unlock(passphrase);
    } finally {
      setPassphrase('');
    }
  });
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('unlock.title')}</h1>
      <p>{m('unlock.intro')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field
          label={m('unlock.passphrase')}
          name="passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
        />
        <ErrorNotice error={error} />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('unlock.submit')}
        </Button>
      </Form>
      <p>
        <Link to="/recuperation">{m('recover.link')}</Link>
      </p>
    </section>
  );
}
