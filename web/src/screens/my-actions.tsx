import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import { Link } from 'react-router';
import type { Sittings } from '../../../src/client/sittings.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { runsSittings } from './role-scope.js';

// Mes actions: the follow-up actions assigned to me, overdue first, each with what to do (an
// encrypted entry of the situation's committee compartment, decrypted here) and its status update.

type Action = Awaited<ReturnType<Sittings['myActions']>>['actions'][number];

/** Each action's description, read from its situation's committee compartment when this device can. */
function useDescriptions(actions: Action[] | undefined): Map<string, string> {
  const { client } = useClient();
  const [texts, setTexts] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (actions === undefined) return;
    const wanted = new Set(actions.map((a) => a.descriptionEntryId));
    void (async () => {
      const out = new Map<string, string>();
      for (const caseId of new Set(actions.map((a) => a.caseId))) {
        const entries = await client.cases.timeline(caseId, 'committee').catch(() => []);
        for (const e of entries)
          if (e.state === 'verified' && wanted.has(e.id))
            out.set(e.id, new TextDecoder().decode(e.plaintext));
      }
      setTexts(out);
    })();
  }, [client, actions]);
  return texts;
}

function ActionRow(props: { action: Action; text: string | undefined; onUpdated(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const a = props.action;
  const { busy, error, run } = useAction(async (status: 'done' | 'cancelled') => {
    await client.sittings.completeAction(a.id, status);
    await props.onUpdated();
  });
  const about = { reference: a.reference, due: a.dueOn };
  return (
    <tr>
      <td>
        <Link to={`/situations/${a.caseId}`}>{a.reference}</Link>
        {props.text === undefined ? null : <p className="entry-text">{props.text}</p>}
      </td>
      <td>
        <FormattedDate value={a.dueOn} dateStyle="medium" />
      </td>
      <td className={a.overdue ? 'withheld' : undefined}>
        {a.overdue ? m('actions.overdue') : m('actions.onTime')}
      </td>
      <td>
        <div className="row-actions">
          <Button
            className="button"
            isDisabled={busy}
            aria-label={m('actions.markDone', about)}
            onPress={() => void run('done')}
          >
            {m('actions.done')}
          </Button>
          <Button
            className="button"
            isDisabled={busy}
            aria-label={m('actions.markCancelled', about)}
            onPress={() => void run('cancelled')}
          >
            {m('actions.cancel')}
          </Button>
        </div>
        <ErrorNotice error={error} />
      </td>
    </tr>
  );
}

type Late = Awaited<ReturnType<Sittings['overdue']>>['actions'][number];

/** En retard (coordination): every overdue action of the CLSM, by reference and date only. */
function OverdueActions() {
  const m = useMessages();
  const { client } = useClient();
  const [late, setLate] = useState<Late[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    client.sittings.overdue().then(({ actions }) => {
      setLate(actions);
    }, setError);
  }, [client]);
  return (
    <section aria-labelledby="late-title">
      <h2 id="late-title">{m('actions.late.title')}</h2>
      <p>{m('actions.late.intro')}</p>
      <ErrorNotice error={error} />
      {late !== undefined && late.length === 0 ? <p>{m('actions.late.empty')}</p> : null}
      {late !== undefined && late.length > 0 ? (
        <table aria-labelledby="late-title">
          <thead>
            <tr>
              <th scope="col">{m('actions.col.situation')}</th>
              <th scope="col">{m('actions.col.due')}</th>
            </tr>
          </thead>
          <tbody>
            {late.map((a) => (
              <tr key={a.id}>
                <td>{a.reference}</td>
                <td>
                  <FormattedDate value={a.dueOn} dateStyle="medium" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function MyActionsScreen() {
  const m = useMessages();
  const { client, me } = useClient();
  const [actions, setActions] = useState<Action[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [updated, setUpdated] = useState(false);
  const load = useCallback(async () => {
    try {
      const list = (await client.sittings.myActions()).actions;
      setActions(
        [...list].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn)),
      );
    } catch (err) {
      setError(err);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  const texts = useDescriptions(actions);
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('actions.title')}</h1>
      <p>{m('actions.intro')}</p>
      <ErrorNotice error={error} />
      {updated ? <p role="status">{m('actions.updated')}</p> : null}
      {actions === undefined && error === undefined ? <p>{m('common.loading')}</p> : null}
      {actions !== undefined && actions.length === 0 ? <p>{m('actions.empty')}</p> : null}
      {actions !== undefined && actions.length > 0 ? (
        <table aria-labelledby="title">
          <thead>
            <tr>
              <th scope="col">{m('actions.col.situation')}</th>
              <th scope="col">{m('actions.col.due')}</th>
              <th scope="col">{m('actions.col.state')}</th>
              <th scope="col">{m('actions.col.update')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <ActionRow
                key={a.id}
                action={a}
                text={texts.get(a.descriptionEntryId)}
                onUpdated={async () => {
                  setUpdated(true);
                  await load();
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {runsSittings(me.role) ? <OverdueActions /> : null}
    </section>
  );
}
