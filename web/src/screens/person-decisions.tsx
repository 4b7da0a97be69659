import { useRef } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { encodeAnswer, type Answer, type PersonSpace } from '../../../src/client/person-space.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { PersonAnswerForm } from './person-answer-form.js';
import { PersonKeyConfirm } from './person-key-confirm.js';
import { usePersonWrite } from './use-person-write.js';

// "Ce que l'équipe a décidé": each decision shared with the person, in plain words, with their last
// answer and the form to give or change it. An answer is an entry of their space, signed by them,
// and their adhesion to the sitting's decision, recorded with it.

export function PersonDecisions(props: { caseId: string; space: PersonSpace; onSaved(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const answering = useRef<Answer | undefined>(undefined);
  const writing = usePersonWrite(props.caseId, async () => {
    const answer = answering.current;
    if (answer !== undefined) await client.sittings.answer(answer.decisionId, answer.adhesion);
    await props.onSaved();
  });
  return (
    <section aria-labelledby="person-decisions" className="person-section">
      <h2 id="person-decisions">{m('person.decisions.title')}</h2>
      {props.space.decisions.length === 0 ? <p>{m('person.decisions.none')}</p> : null}
      {props.space.decisions.map((d) => {
        const date = (
          <FormattedDate value={`${d.content.decidedOn}T12:00:00Z`} dateStyle="long" timeZone="UTC" />
        );
        const last = d.answer?.content;
        return (
          <article key={d.content.decisionId} className="person-card" aria-labelledby={`d-${d.entryId}`}>
            <h3 id={`d-${d.entryId}`}>
              <FormattedMessage id="person.decision.title" values={{ date }} />
            </h3>
            <p className="person-text">{d.content.text}</p>
            {last === undefined ? null : (
              <div className="person-answer">
                <p>{m(`person.answer.${last.adhesion}`)}</p>
                {last.words === '' ? null : <p>{m('person.answer.words', { words: last.words })}</p>}
              </div>
            )}
            {writing.asking !== undefined && answering.current?.decisionId === d.content.decisionId ? (
              <PersonKeyConfirm
                recipients={writing.asking.recipients}
                busy={writing.busy}
                onConfirm={writing.confirm}
                onCancel={writing.cancel}
              />
            ) : (
              <PersonAnswerForm
                key={d.answer?.entryId ?? 'none'}
                decisionId={d.content.decisionId}
                last={last}
                busy={writing.busy}
                onAnswer={(answer) => {
                  answering.current = answer;
                  void writing.send(encodeAnswer(answer));
                }}
              />
            )}
            {answering.current?.decisionId === d.content.decisionId ? (
              <>
                <ErrorNotice error={writing.error} />
                {writing.outcome === undefined ? null : (
                  <p role="status">
                    {m(writing.outcome === 'sent' ? 'person.answer.sent' : 'person.key.cancelled')}
                  </p>
                )}
              </>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
