import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Navigate, useNavigate } from 'react-router';
import { useSession, type DeviceCard } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { ResultHeading } from '../ui/result-heading.js';
import { useAction } from '../ui/use-action.js';
import { RecoverySheet } from './recovery-sheet.js';

// Replacing a lost device: the coordinator's recovery code and the passphrase open the key backup
// here, new keys are made and registered, and this browser becomes the member's device. Colleagues
// hand keys to the new ones only once a coordinator certified them by their fingerprint.

export function RecoverScreen() {
  const m = useMessages();
  const session = useSession();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [done, setDone] = useState<DeviceCard | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    try {
      setDone(await session.recover(code.trim(), passphrase));
      setCode('');
    } finally {
      setPassphrase('');
    }
  });

  if (done !== undefined)
    return (
      <section aria-labelledby="title">
        <h1 id="title">{m('recover.title')}</h1>
        <div role="status" className="notice">
          <ResultHeading id="recovered-title">{m('recover.done')}</ResultHeading>
          <p>{m('recover.fingerprint', { fingerprint: done.fingerprint })}</p>
          <p>{m('recover.certify')}</p>
        </div>
        <RecoverySheet card={done} />
        <Button className="button primary" onPress={() => void navigate('/')}>
          {m('enroll.continue')}
        </Button>
      </section>
    );
  // An unlocked device has nothing to recover (while recovering, the device unlocks before the result shows).
  if (session.state.status === 'unlocked' && !busy) return <Navigate to="/" replace />;

  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('recover.title')}</h1>
      <p>{m('recover.intro')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field
          label={m('recover.code')}
          name="code"
          value={code}
          onChange={setCode}
          autoComplete="off"
          description={m('recover.code.help')}
        />
        <Field
          label={m('recover.passphrase')}
          name="passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
          description={m('recover.passphrase.help')}
        />
        <ErrorNotice error={error} action="recover" />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('recover.submit')}
        </Button>
      </Form>
    </section>
  );
}
