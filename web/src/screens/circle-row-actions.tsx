import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Checks } from '../ui/checks.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// Narrowing a participant's need-to-know and removing them from the circle, each confirmed in a
// dialog that says what follows: keys deleted at once, a new key to hand over to the others.

interface RowProps {
  caseId: string;
  memberId: string;
  name: string;
  compartments: Compartment[];
  onChanged(): Promise<void>;
}

function NarrowDialog(props: RowProps & { close: () => void }) {
  const m = useMessages();
  const { client } = useClient();
  const [keep, setKeep] = useState<Compartment[]>(props.compartments);
  const { busy, error, run } = useAction(async () => {
    for (const c of props.compartments.filter((x) => !keep.includes(x)))
      await client.cases.unassign(props.caseId, props.memberId, c);
    props.close();
    await props.onChanged();
  });
  return (
    <>
      <Heading slot="title">{m('circle.narrow.title', { name: props.name })}</Heading>
      <p>{m('circle.narrow.explain', { name: props.name })}</p>
      <Checks
        label={m('circle.narrow.keep')}
        name="keep"
        value={keep}
        onChange={setKeep}
        options={props.compartments.map((c) => ({ id: c, label: m(`compartment.${c}` as MessageId) }))}
      />
      <ErrorNotice error={error} action="participant.remove" />
      <div className="actions">
        <Button className="button" onPress={props.close} autoFocus>
          {m('common.cancel')}
        </Button>
        <Button
          className="button danger"
          isDisabled={busy || keep.length === props.compartments.length}
          onPress={() => void run()}
        >
          {m('circle.narrow.confirm')}
        </Button>
      </div>
    </>
  );
}

function RemoveDialog(props: RowProps & { close: () => void }) {
  const m = useMessages();
  const { client } = useClient();
  const { busy, error, run } = useAction(async () => {
    await client.cases.removeParticipant(props.caseId, props.memberId);
    props.close();
    await props.onChanged();
  });
  return (
    <>
      <Heading slot="title">{m('circle.remove.title', { name: props.name })}</Heading>
      <p>{m('circle.remove.explain', { name: props.name })}</p>
      <ErrorNotice error={error} action="participant.remove" />
      <div className="actions">
        <Button className="button" onPress={props.close} autoFocus>
          {m('common.cancel')}
        </Button>
        <Button className="button danger" isDisabled={busy} onPress={() => void run()}>
          {m('circle.remove.confirm')}
        </Button>
      </div>
    </>
  );
}

export function RowActions(props: RowProps) {
  const m = useMessages();
  return (
    <div className="row-actions">
      {props.compartments.length > 1 ? (
        <DialogTrigger>
          <Button className="button" aria-label={`${m('circle.narrow')} : ${props.name}`}>
            {m('circle.narrow')}
          </Button>
          <Modal className="modal" isDismissable>
            <Dialog className="dialog">{({ close }) => <NarrowDialog {...props} close={close} />}</Dialog>
          </Modal>
        </DialogTrigger>
      ) : null}
      <DialogTrigger>
        <Button className="button" aria-label={`${m('circle.remove')} : ${props.name}`}>
          {m('circle.remove')}
        </Button>
        <Modal className="modal" isDismissable>
          <Dialog className="dialog">{({ close }) => <RemoveDialog {...props} close={close} />}</Dialog>
        </Modal>
      </DialogTrigger>
    </div>
  );
}
