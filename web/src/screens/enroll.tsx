import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useNavigate } from 'react-router';
import { useSession, type DeviceCard } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { ResultHeading } from '../ui/result-heading.js';
import { useAction } from '../ui/use-action.js';
import { RecoverySheet } from './recovery-sheet.js';

export function EnrollScreen() {
  const m = useMessages();
  const session = useSession();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<(DeviceCard & { sas?: string }) | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    const enrolled = await session.enroll(code.trim(), passphrase);
    setPassphrase('');
    setConfirm('');
    setDone(enrolled);
  });

  // The person a situation is about: the same keys and checks, said in plain words.
  if (done !== undefined && done.role === 'person')
    return (
      <section aria-labelledby="title" className="person-space">
        <h1 id="title">{m('enroll.person.title')}</h1>
        <div role="status" className="notice">
          <ResultHeading id="enrolled-title">{m('enroll.person.done')}</ResultHeading>
          {done.sas === undefined ? null : <p>{m('enroll.person.sas', { sas: done.sas })}</p>}
          <p>{m('enroll.person.wait')}</p>
        </div>
        <p>{m('enroll.person.sheet')}</p>
        <RecoverySheet card={done} />
        <Button className="button primary" onPress={() => void navigate('/mon-espace')}>
          {m('enroll.person.continue')}
        </Button>
      </section>
    );
  if (done !== undefined)
    return (
      <section aria-labelledby="title">
        <h1 id="title">{m('enroll.title')}</h1>
        <div role="status" className="notice">
          <ResultHeading id="enrolled-title">{m('enroll.done')}</ResultHeading>
          <p>{m('enroll.fingerprint', { fingerprint: done.fingerprint })}</p>
          {done.sas === undefined ? (
            <p>{m('enroll.root', { root: done.root })}</p>
          ) : (
            <>
              <p>{m('enroll.sas', { sas: done.sas })}</p>
              <p>{m('enroll.rootFingerprint', { root: done.root })}</p>
            </>
          )}
        </div>
        <RecoverySheet card={done} />
        <Button className="button primary" onPress={() => void navigate('/charte')}>
          {m('enroll.continue')}
        </Button>
      </section>
    );

  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('enroll.title')}</h1>
      <p>{m('enroll.intro')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field label={m('enroll.code')} name="code" value={code} onChange={setCode} autoComplete="off" />
        <Field
          label={m('enroll.passphrase')}
          name="passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="new-password"
          description={m('enroll.passphrase.help')}
          validate={(v) => (v.length > 0 && v.length < 12 ? m('enroll.tooShort') : null)}
        />
        <Field
          label={m('enroll.confirm')}
          name="confirm"
          type="password"
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
          validate={(v) => (v.length > 0 && v !== passphrase ? m('enroll.mismatch') : null)}
        />
        <ErrorNotice error={error} />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('enroll.submit')}
        </Button>
      </Form>
      <p>
        <Link to="/recuperation">{m('recover.link')}</Link>
      </p>
    </section>
  );
}
