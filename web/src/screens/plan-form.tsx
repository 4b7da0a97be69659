import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { planSchema, type Plan, type PlanAction } from '../../../src/client/plan.js';
import { Field, LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';

// The plan's form: prefilled with the plan in force, saved as a new version. Objectives are one per
// line; each action is a group of three fields (what, who, when) that can be added or removed.
// The browser's own validation asks for what is required; the schema checks the rest.

const NO_ACTION: PlanAction = { what: '', who: '', when: '' };

export function PlanForm(props: { initial: Plan | undefined; busy: boolean; onSave: (plan: Plan) => void }) {
  const m = useMessages();
  const [referent, setReferent] = useState(props.initial?.referent ?? '');
  const [problems, setProblems] = useState(props.initial?.problems ?? '');
  const [wishes, setWishes] = useState(props.initial?.wishes ?? '');
  const [objectives, setObjectives] = useState(props.initial?.objectives.join('\n') ?? '');
  const [actions, setActions] = useState<PlanAction[]>(props.initial?.actions ?? []);
  const [nextReview, setNextReview] = useState(props.initial?.nextReview ?? '');
  const [invalid, setInvalid] = useState(false);
  const setAction = (i: number, change: Partial<PlanAction>) => {
    setActions((all) => all.map((a, j) => (j === i ? { ...a, ...change } : a)));
  };
  return (
    <Form
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = planSchema.safeParse({
          referent,
          problems,
          wishes,
          objectives: objectives
            .split('\n')
            .map((o) => o.trim())
            .filter((o) => o !== ''),
          actions,
          nextReview,
        });
        setInvalid(!parsed.success);
        if (parsed.success) props.onSave(parsed.data);
      }}
    >
      <Field
        label={m('plan.referent')}
        name="referent"
        value={referent}
        onChange={setReferent}
        description={m('plan.referent.help')}
      />
      <LongField
        label={m('plan.problems')}
        name="problems"
        value={problems}
        onChange={setProblems}
        isRequired={false}
      />
      <LongField
        label={m('plan.wishes')}
        name="wishes"
        value={wishes}
        onChange={setWishes}
        description={m('plan.wishes.help')}
        isRequired={false}
      />
      <LongField
        label={m('plan.objectives')}
        name="objectives"
        value={objectives}
        onChange={setObjectives}
        description={m('plan.objectives.help')}
        isRequired={false}
      />
      {actions.map((a, i) => (
        <fieldset key={i} className="plan-action">
          <legend>{m('plan.action', { n: i + 1 })}</legend>
          <Field
            label={m('plan.action.what')}
            name={`action-${i}-what`}
            value={a.what}
            onChange={(what) => {
              setAction(i, { what });
            }}
          />
          <Field
            label={m('plan.action.who')}
            name={`action-${i}-who`}
            value={a.who}
            onChange={(who) => {
              setAction(i, { who });
            }}
          />
          <Field
            label={m('plan.action.when')}
            name={`action-${i}-when`}
            type="date"
            value={a.when}
            onChange={(when) => {
              setAction(i, { when });
            }}
          />
          <Button
            className="button"
            onPress={() => {
              setActions((all) => all.filter((_, j) => j !== i));
            }}
          >
            {m('plan.action.remove', { n: i + 1 })}
          </Button>
        </fieldset>
      ))}
      <Button
        className="button"
        onPress={() => {
          setActions((all) => [...all, NO_ACTION]);
        }}
      >
        {m('plan.action.add')}
      </Button>
      <Field
        label={m('plan.nextReview')}
        name="nextReview"
        type="date"
        value={nextReview}
        onChange={setNextReview}
      />
      {invalid ? (
        <p role="alert" className="notice notice-error">
          {m('plan.invalid')}
        </p>
      ) : null}
      <Button type="submit" className="button primary" isDisabled={props.busy}>
        {props.busy ? m('common.working') : m('plan.save')}
      </Button>
    </Form>
  );
}
