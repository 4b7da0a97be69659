import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useCallback, useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import type { CaseListItem } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import type { Sittings } from '../../../src/client/sittings.js';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { runsSittings } from './role-scope.js';
import { SittingAttendance } from './sitting-attendance.js';
import { AgendaItem } from './sitting-item.js';
import type { ItemContext } from './sitting-item-context.js';

// A sitting of the cellule: attendance, the agenda prepared from accepted situations, and for each
// situation its minutes, decisions and actions. The coordinator marks it held, then closes it: the
// minutes are frozen, and a correction is a new signed entry that refers to the original. The page
// prints as the sitting's compte rendu (styles.css, @media print).

type View = Awaited<ReturnType<Sittings['view']>>;
const ACTIVE = ['accepted', 'under_review', 'action_plan', 'follow_up'];

function AddToAgenda(props: { sittingId: string; view: View; onAdded(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [situations, setSituations] = useState<CaseListItem[] | undefined>(undefined);
  const [picked, setPicked] = useState('');
  const [listError, setListError] = useState<unknown>(undefined);
  useEffect(() => {
    client.cases.list().then(({ cases }) => {
      const listed = new Set(props.view.agenda.map((i) => i.case?.id));
      const open = cases.filter((c) => ACTIVE.includes(c.status) && !listed.has(c.id));
      setSituations(open);
      setPicked(open[0]?.id ?? '');
    }, setListError);
  }, [client, props.view]);
  const { busy, error, run } = useAction(async () => {
    await client.sittings.addToAgenda(props.sittingId, picked);
    await props.onAdded();
  });
  if (listError !== undefined) return <ErrorNotice error={listError} />;
  if (situations === undefined) return null;
  if (situations.length === 0) return <p className="muted no-print">{m('sitting.agenda.none')}</p>;
  return (
    <Form
      className="no-print"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <Choice
        label={m('sitting.agenda.pick')}
        name="caseId"
        value={picked}
        onChange={setPicked}
        options={situations.map((c) => ({ id: c.id, label: c.reference }))}
      />
      <ErrorNotice error={error} />
      <Button type="submit" className="button primary" isDisabled={busy}>
        {m('sitting.agenda.add')}
      </Button>
    </Form>
  );
}

function CloseSitting(props: { sittingId: string; onClosed(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const { busy, error, run } = useAction(async () => {
    await client.sittings.close(props.sittingId);
    await props.onClosed();
  });
  return (
    <ConfirmDialog
      button={m('sitting.close')}
      buttonClass="button danger"
      title={m('sitting.close.title')}
      explain={m('sitting.close.explain')}
      cancel={m('common.cancel')}
      confirm={m('sitting.close')}
      tone="danger"
      busy={busy}
      error={error}
      onConfirm={() => void run()}
    />
  );
}

export function SittingScreen() {
  const m = useMessages();
  const intl = useIntl();
  const { id = '' } = useParams();
  const { client, me } = useClient();
  const [view, setView] = useState<View | undefined>(undefined);
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setView(await client.sittings.view(id));
      setMembers(await client.members());
    } catch (err) {
      setError(err);
    }
  }, [client, id]);
  useEffect(() => {
    void load();
  }, [load]);
  const hold = useAction(async () => {
    await client.sittings.hold(id);
    await load();
  });
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (view === undefined) return <p>{m('common.loading')}</p>;
  const runs = runsSittings(me.role);
  const closed = view.status === 'closed';
  const name = (memberId: string) =>
    members.find((x) => x.id === memberId)?.displayName ?? m('entry.unknownAuthor');
  const ctx: ItemContext = {
    sittingId: id,
    closed,
    runs,
    people: view.members.map((x) => ({ id: x.memberId, name: name(x.memberId) })),
    nameOf: name,
    onChanged: load,
  };
  const date = intl.formatDate(view.scheduledFor, { dateStyle: 'full', timeStyle: 'short' });
  return (
    <section aria-labelledby="title" className="sitting-minutes">
      <p className="no-print">
        <Link to="/seances">{m('sitting.back')}</Link>
      </p>
      <h1 id="title">{m('sitting.title', { date })}</h1>
      <p>{m('sitting.meta', { location: view.location, status: m(`sittingStatus.${view.status}`) })}</p>
      {closed ? <p className="notice">{m('sitting.closed')}</p> : null}
      <div className="row-actions no-print">
        <Button
          className="button"
          onPress={() => {
            window.print();
          }}
        >
          {m('sitting.print')}
        </Button>
        {runs && view.status === 'planned' ? (
          <Button className="button" isDisabled={hold.busy} onPress={() => void hold.run()}>
            {m('sitting.hold')}
          </Button>
        ) : null}
        {runs && !closed ? <CloseSitting sittingId={id} onClosed={load} /> : null}
      </div>
      <ErrorNotice error={hold.error} />
      {members.length > 0 ? (
        <SittingAttendance
          key={view.status}
          sittingId={id}
          members={view.members}
          editable={runs && !closed}
          name={name}
          onSaved={load}
        />
      ) : null}
      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">{m('sitting.agenda.title')}</h2>
        {view.agenda.length === 0 ? <p className="muted">{m('sitting.agenda.empty')}</p> : null}
        {runs && !closed ? <AddToAgenda sittingId={id} view={view} onAdded={load} /> : null}
        {members.length > 0
          ? view.agenda.map((item) => <AgendaItem key={item.itemId} item={item} ctx={ctx} />)
          : null}
      </section>
    </section>
  );
}
