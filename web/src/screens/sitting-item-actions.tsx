import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field, LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { useCommitteeWrite } from './committee-write.js';
import { encode, type ItemContext, type NamedItem } from './sitting-item-context.js';

// An agenda item's follow-up actions: who, by when, and what, an encrypted entry of the situation's
// committee compartment (its text shown to those who read that compartment).

export function Actions(props: {
  item: NamedItem;
  ctx: ItemContext;
  texts: Map<string, string>;
  name: (id: string) => string;
  onSaved: () => Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const { item, ctx } = props;
  const [what, setWhat] = useState('');
  const [assignee, setAssignee] = useState(ctx.people[0]?.id ?? '');
  const [due, setDue] = useState('');
  const [saved, setSaved] = useState(false);
  const committee = useCommitteeWrite(item.case.id);
  const { busy, error, run } = useAction(async () => {
    setSaved(false);
    await committee.start(async (handover) => {
      await client.sittings.action(
        ctx.sittingId,
        item.itemId,
        item.case.id,
        assignee,
        due,
        encode(what),
        undefined,
        handover,
      );
      setWhat('');
      setDue('');
      setSaved(true);
      await props.onSaved();
    });
  });
  return (
    <>
      <h4>{m('sitting.actions.title')}</h4>
      {item.actions.length === 0 ? <p className="muted">{m('sitting.actions.empty')}</p> : null}
      {item.actions.length > 0 ? (
        <ul className="actions-list">
          {item.actions.map((a) => (
            <li key={a.id}>
              {props.texts.get(a.descriptionEntryId) ?? m('entry.notShown')} —{' '}
              <FormattedMessage
                id="sitting.action.line"
                values={{
                  assignee: props.name(a.assigneeId),
                  due: <FormattedDate value={a.dueOn} dateStyle="medium" />,
                  status: m(`actionStatus.${a.status}`),
                }}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {ctx.runs && !ctx.closed
        ? (committee.question ?? (
            <Form
              className="no-print"
              onSubmit={(e) => {
                e.preventDefault();
                void run();
              }}
            >
              <LongField label={m('sitting.action.what')} name="what" value={what} onChange={setWhat} />
              <Choice
                label={m('sitting.action.assignee')}
                name="assignee"
                value={assignee}
                onChange={setAssignee}
                options={ctx.people.map((p) => ({ id: p.id, label: p.name }))}
              />
              <Field label={m('sitting.action.due')} name="dueOn" type="date" value={due} onChange={setDue} />
              <ErrorNotice error={error} />
              {saved ? <p role="status">{m('sitting.action.saved')}</p> : null}
              <Button type="submit" className="button primary" isDisabled={busy}>
                {m('sitting.action.submit')}
              </Button>
            </Form>
          ))
        : null}
    </>
  );
}
