import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { DECISION_LABELS, DECISIONS } from '../../../src/stats/vocabulary/categories.js';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { Radios } from '../ui/radios.js';
import { useAction } from '../ui/use-action.js';
import type { Item, ItemContext } from './sitting-item-context.js';

// An agenda item's decisions, each in a category of the bilan with the person's adhesion (agrees,
// disagrees, not yet asked): recorded by the coordinator until the sitting closes; the adhesion is
// recorded once the person was asked, closed or not.

type Adhesion = Item['decisions'][number]['adhesion'];
const ADHESIONS: readonly Adhesion[] = ['agrees', 'disagrees', 'not_asked'];

function AdhesionChoice(props: { decision: Item['decisions'][number]; onChanged(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const d = props.decision;
  const { error, run } = useAction(async (adhesion: Adhesion) => {
    await client.sittings.adhesion(d.id, adhesion);
    await props.onChanged();
  });
  return (
    <>
      <Choice
        label={m('sitting.decision.adhesionOf', { category: categoryLabel(d.category) })}
        name={`adhesion-${d.id}`}
        value={d.adhesion}
        onChange={(v) => void run(v)}
        options={ADHESIONS.map((a) => ({ id: a, label: m(`adhesion.${a}`) }))}
      />
      <ErrorNotice error={error} />
    </>
  );
}

const categoryLabel = (c: string) =>
  c in DECISION_LABELS ? DECISION_LABELS[c as keyof typeof DECISION_LABELS] : c;

export function Decisions(props: { item: Item; ctx: ItemContext }) {
  const m = useMessages();
  const { client } = useClient();
  const { item, ctx } = props;
  const [category, setCategory] = useState<string>(DECISIONS[0]);
  const [adhesion, setAdhesion] = useState<Adhesion>('not_asked');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction(async () => {
    setSaved(false);
    await client.sittings.decide(ctx.sittingId, item.itemId, category, adhesion);
    setSaved(true);
    await ctx.onChanged();
  });
  return (
    <>
      <h4>{m('sitting.decisions.title')}</h4>
      {item.decisions.length === 0 ? <p className="muted">{m('sitting.decisions.empty')}</p> : null}
      {item.decisions.length > 0 ? (
        <ul className="decisions">
          {item.decisions.map((d) => (
            <li key={d.id}>
              <strong>{categoryLabel(d.category)}</strong> — {m('sitting.decision.adhesion')} :{' '}
              {m(`adhesion.${d.adhesion}`)}
              {ctx.runs ? (
                <div className="no-print">
                  <AdhesionChoice decision={d} onChanged={ctx.onChanged} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {ctx.runs && !ctx.closed ? (
        <Form
          className="no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Choice
            label={m('sitting.decision.category')}
            name="category"
            value={category}
            onChange={setCategory}
            options={DECISIONS.map((c) => ({ id: c, label: categoryLabel(c) }))}
          />
          <Radios<Adhesion>
            label={m('sitting.decision.adhesion')}
            name={`adhesion-new-${item.itemId}`}
            value={adhesion}
            onChange={setAdhesion}
            options={ADHESIONS.map((a) => ({ id: a, label: m(`adhesion.${a}`) }))}
          />
          <ErrorNotice error={error} />
          {saved ? <p role="status">{m('sitting.decision.saved')}</p> : null}
          <Button type="submit" className="button primary" isDisabled={busy}>
            {m('sitting.decision.submit')}
          </Button>
        </Form>
      ) : null}
    </>
  );
}
