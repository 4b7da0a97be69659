import { Button, Dialog, DialogTrigger, Heading, Modal } from 'react-aria-components';
import { ErrorNotice } from './error-notice.js';

interface ConfirmDialogProps {
  /** The button that opens the dialog, its class, and its accessible name when its text is short. */
  button: string;
  buttonClass: string;
  buttonLabel?: string;
  title: string;
  explain: string;
  cancel: string;
  confirm: string;
  /** `danger` for what cannot be undone lightly, `primary` otherwise. */
  tone: 'danger' | 'primary';
  busy?: boolean;
  error?: unknown;
  /** Runs the action; gets `close`, to call once it has succeeded. */
  onConfirm(close: () => void): void;
}

/** A button that asks first: what will happen, then Cancel (focused) or the action. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <DialogTrigger>
      <Button
        className={props.buttonClass}
        {...(props.buttonLabel === undefined ? {} : { 'aria-label': props.buttonLabel })}
      >
        {props.button}
      </Button>
      <Modal className="modal" isDismissable>
        <Dialog className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">{props.title}</Heading>
              <p>{props.explain}</p>
              <ErrorNotice error={props.error} />
              <div className="actions">
                <Button className="button" onPress={close} autoFocus>
                  {props.cancel}
                </Button>
                <Button
                  className={`button ${props.tone}`}
                  isDisabled={props.busy ?? false}
                  onPress={() => {
                    props.onConfirm(close);
                  }}
                >
                  {props.confirm}
                </Button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}
