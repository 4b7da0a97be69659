import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { encodeStatement, type PersonSpace, type Written } from '../../../src/client/person-space.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { PersonKeyConfirm } from './person-key-confirm.js';
import { usePersonWrite } from './use-person-write.js';

// "Le résumé écrit pour vous" (written by a professional for the person, newest first) and "Mon
// avis": the person's own view, encrypted and signed on their device, that the team reads.

/** "Écrit par Inès, le 3 décembre 2026." */
export function WrittenBy(props: { written: Written<unknown>; nameOf: (memberId: string) => string }) {
  return (
    <p className="muted">
      <FormattedMessage
        id="person.by"
        values={{
          name: props.nameOf(props.written.authorId),
          date: <FormattedDate value={props.written.createdAt} dateStyle="long" />,
        }}
      />
    </p>
  );
}

export function PersonSummaries(props: { space: PersonSpace; nameOf: (memberId: string) => string }) {
  const m = useMessages();
  return (
    <section aria-labelledby="person-summary" className="person-section">
      <h2 id="person-summary">{m('person.summary.title')}</h2>
      {props.space.summaries.length === 0 ? <p>{m('person.summary.none')}</p> : null}
      {[...props.space.summaries].reverse().map((s) => (
        <article key={s.entryId} className="person-card">
          <p className="person-text">{s.content.text}</p>
          <WrittenBy written={s} nameOf={props.nameOf} />
        </article>
      ))}
    </section>
  );
}

export function PersonStatement(props: {
  caseId: string;
  space: PersonSpace;
  nameOf: (memberId: string) => string;
  onSaved(): Promise<void>;
}) {
  const m = useMessages();
  const [text, setText] = useState('');
  const writing = usePersonWrite(props.caseId, async () => {
    setText('');
    await props.onSaved();
  });
  return (
    <section aria-labelledby="person-statement" className="person-section">
      <h2 id="person-statement">{m('person.statement.title')}</h2>
      <p>{m('person.statement.intro')}</p>
      {writing.asking === undefined ? (
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            void writing.send(encodeStatement({ text }));
          }}
        >
          <LongField label={m('person.statement.text')} name="statement" value={text} onChange={setText} />
          <Button type="submit" className="button primary" isDisabled={writing.busy}>
            {writing.busy ? m('common.working') : m('person.statement.submit')}
          </Button>
        </Form>
      ) : (
        <PersonKeyConfirm
          recipients={writing.asking.recipients}
          busy={writing.busy}
          onConfirm={writing.confirm}
          onCancel={writing.cancel}
        />
      )}
      <ErrorNotice error={writing.error} />
      {writing.outcome === undefined ? null : (
        <p role="status">
          {m(writing.outcome === 'sent' ? 'person.statement.sent' : 'person.key.cancelled')}
        </p>
      )}
      {props.space.statements.length === 0 ? null : (
        <>
          <h3>{m('person.statement.mine')}</h3>
          {[...props.space.statements].reverse().map((s) => (
            <article key={s.entryId} className="person-card">
              <p className="person-text">{s.content.text}</p>
              <WrittenBy written={s} nameOf={props.nameOf} />
            </article>
          ))}
        </>
      )}
    </section>
  );
}
