import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// The person gives the reference they were told; the DPO opens that situation's access report
// with it. Nothing else of the situation is shown, and no list of situations.

const REFERENCE = /^[0-9]{4}-[0-9]{4,9}$/;

export function ReportFinder(props: { find: (reference: string) => Promise<{ id: string }> }) {
  const m = useMessages();
  const navigate = useNavigate();
  const [reference, setReference] = useState('');
  const { busy, error, run } = useAction(async () => {
    const { id } = await props.find(reference.trim());
    void navigate(`/situations/${id}/acces`);
  });
  return (
    <section aria-labelledby="finder-title">
      <h2 id="finder-title">{m('finder.title')}</h2>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field
          label={m('finder.reference')}
          name="reference"
          value={reference}
          onChange={setReference}
          description={m('finder.format')}
          autoComplete="off"
          validate={(v) => (REFERENCE.test(v.trim()) ? null : m('finder.invalid'))}
        />
        <ErrorNotice error={error} action="reference" />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('finder.submit')}
        </Button>
      </Form>
    </section>
  );
}
