import { FormattedDate } from 'react-intl';
import type { Plan } from '../../../src/client/plan.js';
import { useMessages } from '../ui/messages.js';

// The plan in force as a document: what the screen shows and what the print stylesheet
// (styles.css, @media print) prints alone, to hand to the person or bring to a sitting.

/** A calendar day of the plan (YYYY-MM-DD), in words, whatever the reader's time zone. */
function Day({ value }: { value: string }) {
  return (
    <time dateTime={value}>
      <FormattedDate value={`${value}T12:00:00Z`} dateStyle="long" timeZone="UTC" />
    </time>
  );
}

export function PlanSheet(props: { reference: string; plan: Plan; author: string; createdAt: string }) {
  const m = useMessages();
  const { plan } = props;
  return (
    <article aria-labelledby="plan-sheet-title" className="plan-sheet">
      <h2 id="plan-sheet-title">{m('plan.sheet.title', { reference: props.reference })}</h2>
      <p className="muted">
        {m('plan.sheet.version', { author: props.author })}{' '}
        <FormattedDate value={props.createdAt} dateStyle="long" timeStyle="short" />
      </p>
      <dl>
        <div>
          <dt>{m('plan.referent')}</dt>
          <dd>{plan.referent}</dd>
        </div>
        <div>
          <dt>{m('plan.nextReview')}</dt>
          <dd>
            <Day value={plan.nextReview} />
          </dd>
        </div>
      </dl>
      <h3>{m('plan.problems')}</h3>
      <p className="plan-text">{plan.problems === '' ? m('plan.sheet.none') : plan.problems}</p>
      <h3>{m('plan.wishes')}</h3>
      <p className="plan-text">{plan.wishes === '' ? m('plan.sheet.none') : plan.wishes}</p>
      <h3>{m('plan.objectives')}</h3>
      {plan.objectives.length === 0 ? (
        <p>{m('plan.sheet.none')}</p>
      ) : (
        <ol>
          {plan.objectives.map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ol>
      )}
      {plan.actions.length === 0 ? (
        <>
          <h3>{m('plan.actions')}</h3>
          <p>{m('plan.sheet.none')}</p>
        </>
      ) : (
        <table>
          <caption>{m('plan.actions')}</caption>
          <thead>
            <tr>
              <th scope="col">{m('plan.action.what')}</th>
              <th scope="col">{m('plan.action.who')}</th>
              <th scope="col">{m('plan.action.when')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.actions.map((a, i) => (
              <tr key={i}>
                <td>{a.what}</td>
                <td>{a.who}</td>
                <td>
                  <Day value={a.when} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
