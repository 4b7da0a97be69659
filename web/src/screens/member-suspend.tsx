import { Button, Dialog, DialogTrigger, Heading, Modal } from 'react-aria-components';
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
    <DialogTrigger>
      <Button className="button" aria-label={m('members.suspend.button', { name })}>
        {m('members.suspend.short')}
      </Button>
      <Modal className="modal" isDismissable>
        <Dialog className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">{m('members.suspend.title', { name })}</Heading>
              <p>{m('members.suspend.explain', { name })}</p>
              <ErrorNotice error={error} />
              <div className="actions">
                <Button className="button" onPress={close} autoFocus>
                  {m('members.suspend.cancel')}
                </Button>
                <Button className="button danger" isDisabled={busy} onPress={() => void run(close)}>
                  {m('members.suspend.confirm')}
                </Button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
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
