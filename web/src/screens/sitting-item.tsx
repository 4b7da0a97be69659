import { useCallback, useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import type { TimelineEntry } from '../../../src/client/cases.js';
import type { Sittings } from '../../../src/client/sittings.js';
import { DECISION_LABELS, DECISIONS } from '../../../src/stats/vocabulary/categories.js';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field, LongField } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { Radios } from '../ui/radios.js';
import { useAction } from '../ui/use-action.js';
import { useCommitteeWrite } from './committee-write.js';
import { minutesOf, plainText, textsOf, type MinutesNote } from './sitting-minutes.js';

// One situation on a sitting's agenda: its minutes (taken live, encrypted here into the situation's
// committee compartment), its decisions with the person's adhesion, its follow-up actions. A
// situation the member takes no part in is masked: they see that it is there, nothing more.

type Item = Awaited<ReturnType<Sittings['view']>>['agenda'][number];
type Adhesion = Item['decisions'][number]['adhesion'];
const ADHESIONS: readonly Adhesion[] = ['agrees', 'disagrees', 'not_asked'];
const encode = (text: string) => new TextEncoder().encode(text);

export interface ItemContext {
  sittingId: string;
  closed: boolean;
  /** The coordinator records; the others read. */
  runs: boolean;
  /** The convened members, named: who an action may be given to. */
  people: { id: string; name: string }[];
  onChanged: () => Promise<void>;
}

function Entry(props: { entry: TimelineEntry; name(id: string): string }) {
  const m = useMessages();
  const text = plainText(props.entry);
  return (
    <>
      {text === undefined ? (
        <p className="entry-text muted">
          {m(`entry.withheld.${(props.entry as { reason: 'no-key' | 'not-verified' }).reason}`)}
        </p>
      ) : (
        <p className="entry-text">{text}</p>
      )}
      <p className="entry-meta">
        <FormattedMessage
          id="entry.by"
          values={{
            author: props.name(props.entry.authorId),
            date: <FormattedDate value={props.entry.createdAt} dateStyle="medium" timeStyle="short" />,
          }}
        />
        {text === undefined ? null : (
          <>
            {' · '}
            <span className="verified">{m('entry.verified')}</span>
          </>
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

function Minutes(props: {
  item: Item & { case: NonNullable<Item['case']> };
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

function Decisions(props: { item: Item; ctx: ItemContext }) {
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

function Actions(props: {
  item: Item & { case: NonNullable<Item['case']> };
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

/** A situation the member takes no part in: that it is on the agenda, and nothing of it. */
export function MaskedItem(props: { itemId: string; position: number }) {
  const m = useMessages();
  const headingId = `item-${props.itemId}`;
  return (
    <section aria-labelledby={headingId} className="agenda-item masked">
      <h3 id={headingId}>{m('sitting.item.masked', { position: props.position })}</h3>
      <p>{m('sitting.item.maskedExplain')}</p>
    </section>
  );
}

export function AgendaItem(props: { item: Item; ctx: ItemContext }) {
  const m = useMessages();
  const { client } = useClient();
  const { item, ctx } = props;
  const caseId = item.case?.id;
  const [entries, setEntries] = useState<TimelineEntry[] | 'unreadable' | undefined>(undefined);
  const read = useCallback(async () => {
    if (caseId === undefined) return;
    setEntries(await client.cases.timeline(caseId, 'committee').catch(() => 'unreadable' as const));
  }, [client, caseId]);
  useEffect(() => {
    void read();
  }, [read]);
  const headingId = `item-${item.itemId}`;
  if (item.case === null) return <MaskedItem itemId={item.itemId} position={item.position} />;
  const named = { ...item, case: item.case };
  const name = (id: string) => ctx.people.find((p) => p.id === id)?.name ?? m('entry.unknownAuthor');
  const saved = async () => {
    await read();
    await ctx.onChanged();
  };
  const list = Array.isArray(entries) ? entries : [];
  return (
    <section aria-labelledby={headingId} className="agenda-item">
      <h3 id={headingId}>
        {m('sitting.item.title', { position: item.position, reference: item.case.reference })}
      </h3>
      <p className="no-print">
        <Link to={`/situations/${item.case.id}`}>{item.case.reference}</Link>
      </p>
      <Minutes
        item={named}
        ctx={ctx}
        notes={entries === 'unreadable' ? entries : entries && minutesOf(entries, item.itemId)}
        name={name}
        onSaved={saved}
      />
      <Decisions item={item} ctx={ctx} />
      <Actions
        item={named}
        ctx={ctx}
        texts={textsOf(
          list,
          item.actions.map((a) => a.descriptionEntryId),
        )}
        name={name}
        onSaved={saved}
      />
    </section>
  );
}
