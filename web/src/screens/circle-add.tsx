import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Checks } from '../ui/checks.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import type { Person } from './use-circle.js';
import { COMPARTMENTS } from '../../../src/kernel/compartments.js';

// Adding a participant with the compartments they need to know. Their keys are not handed over
// here: the circle then shows who receives which key, and seals only once the user confirms.

/** Roles that never read situation content (policies/): not offered as participants. */
const NO_CONTENT = new Set(['elected_official', 'dpo', 'stats_reader', 'operator']);
/** The person joins with their own space only, from the situation's page (situation-person-invite.tsx). */
const OWN_SPACE = 'person';

export function AddParticipant(props: {
  caseId: string;
  people: Map<string, Person>;
  participants: string[];
  onAdded(): Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const candidates = [...props.people.values()].filter(
    (p) =>
      p.status === 'active' &&
      !NO_CONTENT.has(p.role) &&
      p.role !== OWN_SPACE &&
      !props.participants.includes(p.id),
  );
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [compartments, setCompartments] = useState<Compartment[]>([...COMPARTMENTS]);
  const [added, setAdded] = useState<'added' | 'pending' | undefined>(undefined);
  const memberId =
    chosen !== undefined && candidates.some((c) => c.id === chosen) ? chosen : candidates[0]?.id;
  const { busy, error, run } = useAction(async () => {
    if (memberId === undefined) return;
    setAdded(undefined);
    const addition = await client.cases.addParticipant(props.caseId, memberId, compartments, {
      handOverKeys: false,
    });
    setAdded(addition.status);
    await props.onAdded();
  });
  return (
    <section aria-labelledby="add-title">
      <h2 id="add-title">{m('circle.add.title')}</h2>
      {added === undefined ? null : (
        <p role="status">{m(added === 'added' ? 'circle.add.done' : 'circle.add.pending')}</p>
      )}
      {memberId === undefined ? (
        <p>{m('circle.add.none')}</p>
      ) : (
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Choice
            label={m('circle.add.member')}
            name="member"
            value={memberId}
            onChange={setChosen}
            options={candidates.map((p) => ({
              id: p.id,
              label: `${p.name} — ${m(`role.${p.role}` as MessageId)}, ${p.organisation}`,
            }))}
          />
          <Checks
            label={m('circle.add.compartments')}
            name="compartments"
            value={compartments}
            onChange={setCompartments}
            description={m('circle.add.help')}
            options={COMPARTMENTS.map((c) => ({ id: c, label: m(`compartment.${c}` as MessageId) }))}
          />
          <ErrorNotice error={error} action="participant.add" />
          <Button type="submit" className="button primary" isDisabled={busy || compartments.length === 0}>
            {busy ? m('common.working') : m('circle.add.submit')}
          </Button>
        </Form>
      )}
    </section>
  );
}
