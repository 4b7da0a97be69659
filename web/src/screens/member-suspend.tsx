import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Button } from 'react-aria-components';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// Suspending and reinstating a member: a statement this device signs in the CLSM's directory log,
// as `clsm member suspend | reinstate` does. The server closes a suspended member's sessions at
// once: their very next request is refused.

export function SuspendButton(props: { member: Member; onDone(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const name = props.member.displayName;
  const { busy, error, run } = useAction(async (close: () => void) => {
    await client.directoryWriter.suspend(props.member.id);
    close();
    await props.onDone();
  });
  return (
    <ConfirmDialog
      button={m('members.suspend.short')}
      buttonClass="button"
      buttonLabel={m('members.suspend.button', { name })}
      title={m('members.suspend.title', { name })}
      explain={m('members.suspend.explain', { name })}
      cancel={m('members.suspend.cancel')}
      confirm={m('members.suspend.confirm')}
      tone="danger"
      busy={busy}
      error={error}
      onConfirm={(close) => void run(close)}
    />
  );
}

export function ReinstateButton(props: { member: Member; onDone(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const name = props.member.displayName;
  const { busy, error, run } = useAction(async () => {
    await client.directoryWriter.reinstate(props.member.id);
    await props.onDone();
  });
  return (
    <>
      <ErrorNotice error={error} />
      <Button
        className="button"
        isDisabled={busy}
        aria-label={m('members.reinstate.button', { name })}
        onPress={() => void run()}
      >
        {m('members.reinstate.short')}
      </Button>
    </>
  );
}
