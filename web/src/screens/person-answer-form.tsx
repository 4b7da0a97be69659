import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { Answer } from '../../../src/client/person-space.js';
import { LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { Radios } from '../ui/radios.js';

// The person's answer to a decision shared with them: agreeing or not, and, if they wish, why in
// their own words. It starts from their last answer; what it sends is the answer as chosen.

type Adhesion = Answer['adhesion'];

export function PersonAnswerForm(props: {
  decisionId: string;
  /** The person's last answer to this decision, if any. */
  last: Answer | undefined;
  busy: boolean;
  onAnswer(answer: Answer): void;
}) {
  const m = useMessages();
  const [adhesion, setAdhesion] = useState<Adhesion>(props.last?.adhesion ?? 'agrees');
  const [words, setWords] = useState(props.last?.words ?? '');
  return (
    <Form
      aria-label={m(props.last === undefined ? 'person.answer.submit' : 'person.answer.change')}
      onSubmit={(e) => {
        e.preventDefault();
        props.onAnswer({ decisionId: props.decisionId, adhesion, words: words.trim() });
      }}
    >
      <Radios<Adhesion>
        label={m('person.answer.choice')}
        name={`adhesion-${props.decisionId}`}
        value={adhesion}
        onChange={setAdhesion}
        options={[
          { id: 'agrees', label: m('person.answer.agree') },
          { id: 'disagrees', label: m('person.answer.disagree') },
        ]}
      />
      <LongField
        label={m('person.answer.text')}
        name={`words-${props.decisionId}`}
        value={words}
        onChange={setWords}
        isRequired={false}
        description={m('person.answer.help')}
      />
      <Button type="submit" className="button primary" isDisabled={props.busy}>
        {props.busy ? m('common.working') : m('person.answer.submit')}
      </Button>
    </Form>
  );
}
