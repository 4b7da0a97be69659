import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { TimelineEntry } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { useCommitteeWrite } from './committee-write.js';
import { encode, type ItemContext, type NamedItem } from './sitting-item-context.js';
import type { MinutesNote } from './sitting-minutes.js';

// An agenda item's minutes, taken live by the coordinator and encrypted here into the situation's
// committee compartment; once the sitting is closed they are frozen, and whoever reads them may add
// a correction: a new signed entry that refers to the original.

function Entry(props: { entry: TimelineEntry; name(id: string): string }) {
  const m = useMessages();
  const e = props.entry;
  return (
    <>
      {e.state === 'verified' ? (
        <p className="entry-text">{new TextDecoder().decode(e.plaintext)}</p>
      ) : (
        <p className="entry-text muted">{m(`entry.withheld.${e.reason}`)}</p>
      )}
      <p className="entry-meta">
        <FormattedMessage
          id="entry.by"
          values={{
            author: props.name(e.authorId),
            date: <FormattedDate value={e.createdAt} dateStyle="medium" timeStyle="short" />,
          }}
        />
        {' · '}
        {e.state === 'verified' ? (
          <span className="verified">{m('entry.verified')}</span>
        ) : (
          <span className="withheld">{m('entry.notShown')}</span>
        )}
      </p>
    </>
  );
}

function Correction(props: { caseId: string; note: MinutesNote; onSaved(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const committee = useCommitteeWrite(props.caseId);
  const { busy, error, run } = useAction(async () => {
    setSaved(false);
    await committee.start(async (handover) => {
      await client.sittings.correct(props.caseId, props.note.entry.id, encode(text), handover);
      setText('');
      setSaved(true);
      await props.onSaved();
    });
  });
  if (committee.question !== null) return committee.question;
  return (
    <Form
      className="no-print"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <LongField label={m('sitting.correction.text')} name="correction" value={text} onChange={setText} />
      <ErrorNotice error={error} />
      {saved ? <p role="status">{m('sitting.correction.saved')}</p> : null}
      <Button type="submit" className="button" isDisabled={busy}>
        {m('sitting.correction.submit')}
      </Button>
    </Form>
  );
}

export function Minutes(props: {
  item: NamedItem;
  ctx: ItemContext;
  notes: MinutesNote[] | 'unreadable' | undefined;
  name: (id: string) => string;
  onSaved: () => Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const { item, ctx } = props;
  const caseId = item.case.id;
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const committee = useCommitteeWrite(caseId);
  const { busy, error, run } = useAction(async () => {
    setSaved(false);
    await committee.start(async (handover) => {
      await client.sittings.minutes(ctx.sittingId, item.itemId, caseId, encode(text), handover);
      setText('');
      setSaved(true);
      await props.onSaved();
    });
  });
  const notes = props.notes;
  return (
    <>
      <h4>{m('sitting.minutes.title')}</h4>
      {notes === undefined ? <p>{m('common.loading')}</p> : null}
      {notes === 'unreadable' ? <p className="muted">{m('sitting.minutes.unreadable')}</p> : null}
      {Array.isArray(notes) && notes.length === 0 ? (
        <p className="muted">{m('sitting.minutes.empty')}</p>
      ) : null}
      {Array.isArray(notes) && notes.length > 0 ? (
        <ol className="timeline">
          {notes.map((n) => (
            <li key={n.entry.id} className="entry">
              <Entry entry={n.entry} name={props.name} />
              {n.corrections.map((c) => (
                <div key={c.id} className="correction">
                  <p className="correction-title">{m('sitting.correction.heading')}</p>
                  <Entry entry={c} name={props.name} />
                </div>
              ))}
              {ctx.closed ? <Correction caseId={caseId} note={n} onSaved={props.onSaved} /> : null}
            </li>
          ))}
        </ol>
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
              <LongField
                label={m('sitting.minutes.text', { reference: item.case.reference })}
                name="minutes"
                value={text}
                onChange={setText}
                description={m('sitting.minutes.help')}
              />
              <ErrorNotice error={error} />
              {saved ? <p role="status">{m('sitting.minutes.saved')}</p> : null}
              <Button type="submit" className="button primary" isDisabled={busy}>
                {busy ? m('common.working') : m('sitting.minutes.submit')}
              </Button>
            </Form>
          ))
        : null}
    </>
  );
}
