import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { CaseView, Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import type { Person } from './use-circle.js';
import { entitledHolders, mayHoldKey, type EntitlementFacts } from '../../../src/client/entitled.js';
import { GrantsRefusedError } from '../../../src/client/key-refusals.js';

// Handing over keys, shown before it is done: for each compartment, whether a new key is made (a
// rotation, after a removal or a narrowed access) or the current one given to newcomers, and to
// whom, with name, role, organisation, who added them and fingerprint. Nothing is sealed until the
// user confirms, and then only to the people shown.

interface Handover {
  compartment: Compartment;
  kind: 'rotation' | 'grant';
  recipients: string[];
  /** Members the server asks keys for whom the need-to-know table does not entitle: nothing goes to them. */
  notEntitled: string[];
}

/** Compartments whose key must be renewed before anything more is written in them. */
export function rotationsDue(view: CaseView): Compartment[] {
  return view.compartments
    .filter((c) => c.rotationRequired && c.readable && c.keyVersion > 0)
    .map((c) => c.name);
}

/**
 * What the SDK's rotate and shareKeys would do now: the recipients as this device computes them
 * (src/client/entitled.ts, from the situation's facts and each member's directory role), the same
 * computation the SDK seals by, and whom the server asks for that the rules leave out.
 */
export function handoversOf(view: CaseView, people: Map<string, Person>): Handover[] {
  const facts: EntitlementFacts = {
    participants: view.participants,
    consent: view.consent,
    exceptions: view.exceptions,
    roles: new Map([...people].map(([id, p]) => [id, p.role])),
  };
  const rotations: Handover[] = rotationsDue(view).map((compartment) => ({
    compartment,
    kind: 'rotation',
    recipients: entitledHolders(facts, compartment),
    notEntitled: [],
  }));
  const grants = new Map<Compartment, Handover>();
  for (const g of view.pendingGrants) {
    const h = grants.get(g.compartment) ?? {
      compartment: g.compartment,
      kind: 'grant' as const,
      recipients: [],
      notEntitled: [],
    };
    (mayHoldKey(facts, g.memberId, g.compartment) ? h.recipients : h.notEntitled).push(g.memberId);
    grants.set(g.compartment, h);
  }
  return [...rotations, ...grants.values()];
}

export function KeyHandover(props: {
  caseId: string;
  view: CaseView;
  handovers: Handover[];
  people: Map<string, Person>;
  onDone(): Promise<void>;
}) {
  const m = useMessages();
  const { client, me } = useClient();
  const [done, setDone] = useState<number | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    let sealed = 0;
    // The user confirmed the recipients shown above, and no one else.
    const shown = new Set(props.handovers.flatMap((h) => h.recipients));
    for (const h of props.handovers) {
      if (h.kind !== 'rotation') continue;
      await client.cases.rotate(props.caseId, h.compartment, {
        confirm: (g) => h.recipients.includes(g.memberId),
      });
      sealed += h.recipients.filter((id) => props.people.get(id)?.refused !== true).length;
    }
    try {
      sealed += await client.cases.shareKeys(props.caseId, { confirm: (g) => shown.has(g.memberId) });
    } catch (err) {
      // Those the rules leave out were listed as such: the others got their keys.
      if (!(err instanceof GrantsRefusedError)) throw err;
      sealed += err.given;
    }
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
                  <th scope="col">{m('circle.col.addedBy')}</th>
                  <th scope="col">{m('circle.col.fingerprint')}</th>
                </tr>
              </thead>
              <tbody>
                {[...h.recipients, ...h.notEntitled].map((id) => {
                  const p = props.people.get(id);
                  const name = p?.name ?? m('entry.unknownAuthor');
                  const adder = props.view.participants.find((x) => x.memberId === id)?.addedBy;
                  return (
                    <tr key={id}>
                      <td>{id === me.memberId ? m('circle.you', { name }) : name}</td>
                      <td>{p === undefined ? '' : m(`role.${p.role}` as MessageId)}</td>
                      <td>{p?.organisation}</td>
                      <td>
                        {adder === undefined
                          ? ''
                          : (props.people.get(adder)?.name ?? m('entry.unknownAuthor'))}
                      </td>
                      <td>
                        {h.notEntitled.includes(id) ? (
                          <span className="withheld">{m('handover.notEntitled')}</span>
                        ) : p?.refused === true ? (
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
