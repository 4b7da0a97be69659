import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { CaseView, Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import type { Person } from './use-circle.js';

// Handing over keys, shown before it is done: for each compartment, whether a new key is made (a
// rotation, after a removal or a narrowed access) or the current one given to newcomers, and to
// whom, with name, role, organisation and fingerprint. Nothing is sealed until the user confirms.

interface Handover {
  compartment: Compartment;
  kind: 'rotation' | 'grant';
  recipients: string[];
}

/** What the SDK's rotate and shareKeys would do now, read from the situation as the server states it. */
export function handoversOf(view: CaseView): Handover[] {
  const rotations: Handover[] = view.compartments
    .filter((c) => c.rotationRequired && c.readable && c.keyVersion > 0)
    .map((c) => ({
      compartment: c.name,
      kind: 'rotation',
      recipients: view.participants.filter((p) => p.compartments.includes(c.name)).map((p) => p.memberId),
    }));
  const grants = new Map<Compartment, string[]>();
  for (const g of view.pendingGrants)
    grants.set(g.compartment, [...(grants.get(g.compartment) ?? []), g.memberId]);
  return [
    ...rotations,
    ...[...grants].map(([compartment, recipients]) => ({ compartment, kind: 'grant' as const, recipients })),
  ];
}

export function KeyHandover(props: {
  caseId: string;
  handovers: Handover[];
  people: Map<string, Person>;
  onDone(): Promise<void>;
}) {
  const m = useMessages();
  const { client, me } = useClient();
  const [done, setDone] = useState<number | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    let sealed = 0;
    for (const h of props.handovers) {
      if (h.kind !== 'rotation') continue;
      await client.cases.rotate(props.caseId, h.compartment);
      sealed += h.recipients.filter((id) => props.people.get(id)?.refused !== true).length;
    }
    sealed += await client.cases.shareKeys(props.caseId);
    setDone(sealed);
    await props.onDone();
  });
  if (props.handovers.length === 0)
    return done === undefined ? null : <p role="status">{m('handover.done', { count: done })}</p>;
  return (
    <section aria-labelledby="handover-title" className="notice">
      <h2 id="handover-title">{m('handover.title')}</h2>
      <p>{m('handover.intro')}</p>
      {props.handovers.map((h) => {
        const compartment = m(`compartment.${h.compartment}` as MessageId);
        return (
          <div key={`${h.kind}-${h.compartment}`}>
            <h3>{m(`handover.${h.kind}`, { compartment })}</h3>
            <table>
              <caption className="visually-hidden">{m('handover.recipients', { compartment })}</caption>
              <thead>
                <tr>
                  <th scope="col">{m('circle.col.name')}</th>
                  <th scope="col">{m('circle.col.role')}</th>
                  <th scope="col">{m('circle.col.organisation')}</th>
                  <th scope="col">{m('circle.col.fingerprint')}</th>
                </tr>
              </thead>
              <tbody>
                {h.recipients.map((id) => {
                  const p = props.people.get(id);
                  const name = p?.name ?? m('entry.unknownAuthor');
                  return (
                    <tr key={id}>
                      <td>{id === me.memberId ? m('circle.you', { name }) : name}</td>
                      <td>{p === undefined ? '' : m(`role.${p.role}` as MessageId)}</td>
                      <td>{p?.organisation}</td>
                      <td>
                        {p?.refused === true ? (
                          <span className="withheld">{m('handover.skipped')}</span>
                        ) : (
                          <code>{p?.fingerprint}</code>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
      <ErrorNotice error={error} />
      <Button className="button primary" isDisabled={busy} onPress={() => void run()}>
        {busy ? m('common.working') : m('handover.confirm')}
      </Button>
    </section>
  );
}
