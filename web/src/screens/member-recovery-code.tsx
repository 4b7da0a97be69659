import { useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// A member who lost their device asks the coordination for a one-time recovery code: with it and
// their passphrase, their key backup opens on a new device (« J'ai perdu mon appareil »). The code
// alone opens nothing; it is shown here once, to be handed over in person or by phone. Their new
// keys are then certified in the same row, by the fingerprint they read out.

export function RecoveryCode(props: { member: Member }) {
  const m = useMessages();
  const { client } = useClient();
  const name = props.member.displayName;
  const [issued, setIssued] = useState<{ code: string; expiresAt: string } | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    setIssued(undefined);
    setIssued(await client.directoryWriter.recoveryCode(props.member.id));
  });
  return (
    <>
      <Button
        className="button"
        isDisabled={busy}
        aria-label={m('members.recovery.button', { name })}
        onPress={() => void run()}
      >
        {m('members.recovery.short')}
      </Button>
      <ErrorNotice error={error} />
      {issued === undefined ? null : (
        <div role="status" className="notice">
          <p>
            {m('members.recovery.code', { name })}{' '}
            <FormattedDate value={issued.expiresAt} dateStyle="medium" timeStyle="short" />
          </p>
          <p>
            <code className="code">{issued.code}</code>
          </p>
          <p>{m('members.recovery.next')}</p>
        </div>
      )}
    </>
  );
}
