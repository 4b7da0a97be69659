import { useState } from 'react';
import { Button, Form, Label, RadioButton, RadioField, RadioGroup } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { KeyCreationConfirm } from './key-creation-confirm.js';
import { describeRecipients, keyRecipients, type Recipient } from './key-creation.js';

// Writing an entry: encrypted and signed here by the SDK, then sent. When the entry creates the
// compartment's key, its recipients are shown first and the entry waits for the user's answer.

interface Asking {
  compartment: Compartment;
  recipients: Recipient[];
}

export function WriteEntry(props: { caseId: string; compartments: Compartment[]; onSaved(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [compartment, setCompartment] = useState<Compartment | undefined>(props.compartments[0]);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<'saved' | 'cancelled' | undefined>(undefined);
  const [asking, setAsking] = useState<Asking | undefined>(undefined);
  const save = async (into: Compartment, shown?: ReadonlySet<string>) => {
    await client.cases.write(
      props.caseId,
      into,
      new TextEncoder().encode(text),
      // The key goes to the recipients the user confirmed, and to no one else.
      shown === undefined ? {} : { confirm: (g) => shown.has(g.memberId) },
    );
    setText('');
    setOutcome('saved');
    await props.onSaved();
  };
  const { busy, error, run } = useAction(async () => {
    if (compartment === undefined) return;
    setOutcome(undefined);
    const view = await client.cases.view(props.caseId);
    const ids = keyRecipients(view, await client.cases.entitlementFacts(view.id), compartment);
    if (ids === undefined) return save(compartment);
    setAsking({ compartment, recipients: await describeRecipients(client, view, ids) });
  });
  const confirmed = useAction(async () => {
    if (asking === undefined) return;
    await save(asking.compartment, new Set(asking.recipients.map((r) => r.memberId)));
    setAsking(undefined);
  });
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
            busy={confirmed.busy}
            onConfirm={() => void confirmed.run()}
            onCancel={() => {
              setAsking(undefined);
              setOutcome('cancelled');
            }}
          />
          <ErrorNotice error={confirmed.error} />
        </>
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
          {outcome === undefined ? null : <p role="status">{m(`write.${outcome}`)}</p>}
          <Button type="submit" className="button primary" isDisabled={busy}>
            {busy ? m('common.working') : m('write.submit')}
          </Button>
        </Form>
      )}
    </section>
  );
}
