import { useState } from 'react';
import { Button, Form, Label, RadioButton, RadioField, RadioGroup } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// Writing an entry: encrypted and signed here by the SDK, then sent.

export function WriteEntry(props: { caseId: string; compartments: Compartment[]; onSaved(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [compartment, setCompartment] = useState<Compartment | undefined>(props.compartments[0]);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction(async () => {
    if (compartment === undefined) return;
    setSaved(false);
    await client.cases.write(props.caseId, compartment, new TextEncoder().encode(text));
    setText('');
    setSaved(true);
    await props.onSaved();
  });
  return (
    <section aria-labelledby="write-title" className="write">
      <h2 id="write-title">{m('write.title')}</h2>
      {props.compartments.length === 0 ? (
        <p>{m('write.none')}</p>
      ) : (
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
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
          {saved ? <p role="status">{m('write.saved')}</p> : null}
          <Button type="submit" className="button primary" isDisabled={busy}>
            {busy ? m('common.working') : m('write.submit')}
          </Button>
        </Form>
      )}
    </section>
  );
}
