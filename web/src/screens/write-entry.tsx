import { useState } from 'react';
import { Button, Form, Label, RadioButton, RadioField, RadioGroup } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { KeyCreationConfirm } from './key-creation-confirm.js';
import { useKeyedWrite } from './use-keyed-write.js';

// Writing an entry: encrypted and signed here by the SDK, then sent. When the entry creates the
// compartment's key, its recipients are shown first and the entry waits for the user's answer.

export function WriteEntry(props: { caseId: string; compartments: Compartment[]; onSaved(): Promise<void> }) {
  const m = useMessages();
  const [compartment, setCompartment] = useState<Compartment | undefined>(props.compartments[0]);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<'saved' | 'cancelled' | undefined>(undefined);
  const writing = useKeyedWrite(props.caseId, async () => {
    setText('');
    setOutcome('saved');
    await props.onSaved();
  });
  const { asking, confirm } = writing;
  const { busy, error, run } = writing.write;
  return (
    <section aria-labelledby="write-title" className="write">
      <h2 id="write-title">{m('write.title')}</h2>
      {props.compartments.length === 0 ? (
        <p>{m('write.none')}</p>
      ) : asking !== undefined ? (
        <>
          <KeyCreationConfirm
            compartment={asking.compartment}
            recipients={asking.recipients}
            busy={confirm.busy}
            onConfirm={() => void confirm.run()}
            onCancel={() => {
              writing.cancel();
              setOutcome('cancelled');
            }}
          />
          <ErrorNotice error={confirm.error} />
        </>
      ) : (
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            if (compartment === undefined) return;
            setOutcome(undefined);
            void run(compartment, new TextEncoder().encode(text));
          }}
        >
          <RadioGroup
            className="field"
            name="compartment"
            value={compartment ?? null}
            onChange={(v) => {
              setCompartment(v as Compartment);
            }}
          >
            <Label>{m('write.compartment')}</Label>
            {props.compartments.map((c) => (
              <RadioField key={c} value={c}>
                <RadioButton className="radio">{m(`compartment.${c}` as MessageId)}</RadioButton>
              </RadioField>
            ))}
          </RadioGroup>
          <LongField
            label={m('write.text')}
            name="text"
            value={text}
            onChange={setText}
            description={m('write.help')}
          />
          <ErrorNotice error={error} />
          {outcome === undefined ? null : <p role="status">{m(`write.${outcome}`)}</p>}
          <Button type="submit" className="button primary" isDisabled={busy}>
            {busy ? m('common.working') : m('write.submit')}
          </Button>
        </Form>
      )}
    </section>
  );
}
