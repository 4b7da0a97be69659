import { useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { encodeSharedDecision, encodeSummary, type PersonSpace } from '../../../src/client/person-space.js';
import { DECISION_LABELS } from '../../../src/stats/vocabulary/categories.js';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { KeyCreationConfirm } from './key-creation-confirm.js';
import { useKeyedWrite } from './use-keyed-write.js';

// What the team shares with the person, written here in plain words into their space: a summary,
// and the sittings' decisions about the situation, each explained; and
// what the person wrote back, their view and their answers, each signed by its author.

interface SittingDecision {
  id: string;
  decidedOn: string;
  category: string;
}

/** The situation's decisions across its sittings (for those who read its committee), latest first. */
async function decisionsOf(client: ReturnType<typeof useClient>['client'], caseId: string) {
  const decisions = await client.sittings.decisionsOf(caseId);
  return decisions
    .map((d) => ({ id: d.id, decidedOn: d.decidedAt.slice(0, 10), category: d.category }))
    .reverse();
}

const categoryLabel = (c: string) =>
  c in DECISION_LABELS ? DECISION_LABELS[c as keyof typeof DECISION_LABELS] : c;

export function PersonShare(props: {
  caseId: string;
  writable: boolean;
  /** Whether this member reads the committee, where the situation's decisions are. */
  readsDecisions: boolean;
  onSaved: () => Promise<void>;
}) {
  const m = useMessages();
  const intl = useIntl();
  const { client } = useClient();
  const [summary, setSummary] = useState('');
  const [decisions, setDecisions] = useState<SittingDecision[]>([]);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [words, setWords] = useState('');
  const [shared, setShared] = useState(false);
  // Asked only of those who may share and read them: a refusal would be one more line in the
  // person's access report.
  const asks = props.writable && props.readsDecisions;
  useEffect(() => {
    if (!asks) return;
    decisionsOf(client, props.caseId).then(setDecisions, () => {
      setDecisions([]);
    });
  }, [client, props.caseId, asks]);
  const writing = useKeyedWrite(props.caseId, async () => {
    setSummary('');
    setWords('');
    setShared(true);
    await props.onSaved();
  });
  const share = (plaintext: Uint8Array) => {
    setShared(false);
    void writing.write.run('person', plaintext);
  };
  const decision = decisions.find((d) => d.id === chosen) ?? decisions[0];
  if (!props.writable) return null;
  if (writing.asking !== undefined)
    return (
      <>
        <KeyCreationConfirm
          compartment={writing.asking.compartment}
          recipients={writing.asking.recipients}
          busy={writing.confirm.busy}
          onConfirm={() => void writing.confirm.run()}
          onCancel={writing.cancel}
        />
        <ErrorNotice error={writing.confirm.error} />
      </>
    );
  return (
    <>
      <section aria-labelledby="person-summary-write">
        <h3 id="person-summary-write">{m('personSide.summary.title')}</h3>
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            share(encodeSummary({ text: summary }));
          }}
        >
          <LongField
            label={m('personSide.summary.text')}
            name="person-summary"
            value={summary}
            onChange={setSummary}
            description={m('personSide.summary.help')}
          />
          <Button type="submit" className="button primary" isDisabled={writing.write.busy}>
            {m('personSide.summary.submit')}
          </Button>
        </Form>
      </section>
      <section aria-labelledby="person-decision-write">
        <h3 id="person-decision-write">{m('personSide.decision.title')}</h3>
        {decision === undefined ? (
          <p>{m('personSide.decision.none')}</p>
        ) : (
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              share(
                encodeSharedDecision({ decisionId: decision.id, decidedOn: decision.decidedOn, text: words }),
              );
            }}
          >
            <Choice
              label={m('personSide.decision.choose')}
              name="person-decision"
              value={decision.id}
              onChange={setChosen}
              options={decisions.map((d) => ({
                id: d.id,
                label: m('personSide.decision.option', {
                  date: intl.formatDate(`${d.decidedOn}T12:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' }),
                  category: categoryLabel(d.category),
                }),
              }))}
            />
            <LongField
              label={m('personSide.decision.text')}
              name="person-decision-text"
              value={words}
              onChange={setWords}
              description={m('personSide.summary.help')}
            />
            <Button type="submit" className="button primary" isDisabled={writing.write.busy}>
              {m('personSide.decision.submit')}
            </Button>
          </Form>
        )}
      </section>
      <ErrorNotice error={writing.write.error} />
      {shared ? <p role="status">{m('personSide.shared')}</p> : null}
    </>
  );
}

/** The person's view and answers, with who signed them (the person, by the directory). */
export function PersonWrote(props: { space: PersonSpace; nameOf: (memberId: string) => string }) {
  const m = useMessages();
  const { statements, decisions } = props.space;
  const answered = decisions.filter((d) => d.answer !== undefined);
  const day = (at: string) => <FormattedDate value={at} dateStyle="long" />;
  return (
    <section aria-labelledby="person-wrote-title">
      <h3 id="person-wrote-title">{m('personSide.read.title')}</h3>
      {statements.length === 0 && answered.length === 0 ? <p>{m('personSide.read.none')}</p> : null}
      <ul className="timeline">
        {[...statements].reverse().map((s) => (
          <li key={s.entryId} className="entry">
            <p className="entry-text">
              <FormattedMessage
                id="personSide.read.statement"
                values={{ date: day(s.createdAt), text: s.content.text }}
              />
            </p>
            <p className="entry-meta">{m('personSide.read.by', { name: props.nameOf(s.authorId) })}</p>
          </li>
        ))}
        {answered.map((d) =>
          d.answer === undefined ? null : (
            <li key={d.answer.entryId} className="entry">
              <p className="entry-text">
                <FormattedMessage
                  id={`personSide.read.answer.${d.answer.content.adhesion}`}
                  values={{ date: day(`${d.content.decidedOn}T12:00:00Z`) }}
                />
              </p>
              {d.answer.content.words === '' ? null : (
                <p className="entry-text">{m('personSide.read.words', { words: d.answer.content.words })}</p>
              )}
              <p className="entry-meta">
                {m('personSide.read.by', { name: props.nameOf(d.answer.authorId) })}
              </p>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
