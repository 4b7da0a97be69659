import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TimelineEntry } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { useMessages } from '../ui/messages.js';
import { Actions } from './sitting-item-actions.js';
import type { Item, ItemContext } from './sitting-item-context.js';
import { Decisions } from './sitting-item-decisions.js';
import { Minutes } from './sitting-item-minutes.js';
import { minutesOf, textsOf } from './sitting-minutes.js';

// One situation on a sitting's agenda: its minutes, its decisions with the person's adhesion, its
// follow-up actions, read from the situation's committee compartment on this device. A situation
// the member takes no part in is masked: they see that it is there, nothing more.

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
        name={ctx.nameOf}
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
        name={ctx.nameOf}
        onSaved={saved}
      />
    </section>
  );
}
