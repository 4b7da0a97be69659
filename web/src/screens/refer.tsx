import { useState } from 'react';
import { Button, Form, Label, RadioButton, RadioField, RadioGroup } from 'react-aria-components';
import { useNavigate } from 'react-router';
import type { ProblemCategory } from '../../../src/stats/vocabulary/categories.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// The fiche de saisine: categories only; the person's story goes, encrypted, into compartments.

const PROBLEMS: readonly ProblemCategory[] = [
  'troubles_psychiques',
  'rupture_soins',
  'incurie',
  'troubles_voisinage',
  'isolement',
  'danger_pour_soi',
  'risque_pour_autrui',
  'addictions',
  'dettes',
  'menace_expulsion',
  'perte_autonomie',
  'violences_subies',
  'droits_non_ouverts',
];
const URGENCIES = ['routine', 'soon', 'urgent'] as const;

export function ReferScreen() {
  const m = useMessages();
  const { client } = useClient();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<ProblemCategory>('troubles_psychiques');
  const [urgency, setUrgency] = useState<(typeof URGENCIES)[number]>('routine');
  const { busy, error, run } = useAction(async () => {
    const { id } = await client.cases.refer(problem, urgency);
    void navigate(`/situations/${id}`);
  });
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('refer.title')}</h1>
      <p>{m('refer.intro')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Choice<ProblemCategory>
          label={m('refer.problem')}
          name="problem"
          value={problem}
          onChange={setProblem}
          options={PROBLEMS.map((p) => ({ id: p, label: m(`problem.${p}` as MessageId) }))}
        />
        <RadioGroup
          className="field"
          name="urgency"
          value={urgency}
          onChange={(v) => {
            setUrgency(v as (typeof URGENCIES)[number]);
          }}
        >
          <Label>{m('refer.urgency')}</Label>
          {URGENCIES.map((u) => (
            <RadioField key={u} value={u}>
              <RadioButton className="radio">{m(`urgency.${u}` as MessageId)}</RadioButton>
            </RadioField>
          ))}
        </RadioGroup>
        <ErrorNotice error={error} />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('refer.submit')}
        </Button>
      </Form>
    </section>
  );
}
