import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { CaseView } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { QrCode } from '../ui/qr-code.js';
import { useAction } from '../ui/use-action.js';
import { Certify } from './member-certify.js';
import { stageOf } from './member-row.js';

// Opening the person's own space, with the person present: a code this device makes (the person
// enrolls their phone or a shared computer with it), then the check code they read out, which
// certifies their keys; then they join the situation with their space alone, and its key is handed
// over to them, and to no one else.

/**
 * The people this device invited to this situation: every person's card reads the same, and only
 * the inviter's device can check the code they read out. Ids only, kept in this browser.
 */
const invitedKey = (caseId: string) => `clsm.person-invitations.${caseId}`;

export function invitedHere(caseId: string): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(invitedKey(caseId)) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function rememberInvited(caseId: string, memberId: string): void {
  localStorage.setItem(invitedKey(caseId), JSON.stringify([...invitedHere(caseId), memberId]));
}

/** The people invited here to this situation who enrolled (their keys registered). */
export function peopleOf(caseId: string, members: Member[], enrolled: ReadonlySet<string>): Member[] {
  const invited = invitedHere(caseId);
  return members.filter((x) => x.role === 'person' && enrolled.has(x.id) && invited.includes(x.id));
}

export function PersonInvite(props: { view: CaseView; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const caseId = props.view.id;
  const [members, setMembers] = useState<Member[]>([]);
  const [enrolled, setEnrolled] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(undefined);
  const refresh = useCallback(async () => {
    try {
      const [all, listed] = await Promise.all([client.members(), client.listing()]);
      setMembers(all);
      setEnrolled(new Set(listed.filter((l) => l.keys !== null).map((l) => l.id)));
    } catch (err) {
      setError(err);
    }
  }, [client]);
  useEffect(() => {
    void refresh();
  }, [refresh, props.view]);
  const changed = async () => {
    await refresh();
    await props.onChanged();
  };
  const [issued, setIssued] = useState<{ memberId: string; code: string; expiresAt: string } | undefined>(
    undefined,
  );
  const [added, setAdded] = useState(false);
  const invite = useAction(async () => {
    const issued = await client.directoryWriter.invitePerson(caseId);
    rememberInvited(caseId, issued.memberId);
    setIssued(issued);
  });
  const add = useAction(async (memberId: string) => {
    setAdded(false);
    // The person was checked just now, face to face: their space's key goes to them alone.
    await client.cases.addParticipant(caseId, memberId, ['person'], {
      confirm: (g) => g.memberId === memberId,
    });
    setAdded(true);
    await changed();
  });
  const people = peopleOf(caseId, members, enrolled);
  const participants = new Set(props.view.participants.map((p) => p.memberId));
  const waiting = people.filter((x) => stageOf(x, false) === 'enrolled');
  const certified = people.filter((x) => stageOf(x, false) === 'certified' && !participants.has(x.id));
  return (
    <>
      <section aria-labelledby="person-invite-title">
        <h3 id="person-invite-title">{m('personSide.invite.title')}</h3>
        <p>{m('personSide.invite.explain')}</p>
        <Button className="button" isDisabled={invite.busy} onPress={() => void invite.run()}>
          {invite.busy ? m('common.working') : m('personSide.invite.submit')}
        </Button>
        <ErrorNotice error={invite.error} />
        {issued === undefined ? null : (
          <div role="status" className="notice">
            <p>
              <FormattedMessage
                id="personSide.invite.code"
                values={{
                  date: <FormattedDate value={issued.expiresAt} dateStyle="long" timeStyle="short" />,
                }}
              />
            </p>
            <p>
              <code className="code">{issued.code}</code>
            </p>
            <QrCode text={issued.code} label={m('personSide.invite.qr')} />
          </div>
        )}
      </section>
      <section aria-labelledby="person-certify-title">
        <h3 id="person-certify-title">{m('personSide.certify.title')}</h3>
        {waiting.length === 0 ? (
          <>
            <p>{m('personSide.certify.none')}</p>
            <Button className="button" onPress={() => void refresh()}>
              {m('personSide.certify.refresh')}
            </Button>
            <ErrorNotice error={error} />
          </>
        ) : null}
        {waiting.map((x) => (
          <article key={x.id} aria-label={m('personSide.member', { name: x.displayName })}>
            <p>{m('personSide.member', { name: x.displayName })}</p>
            <Certify member={x} by="sas" onCertified={changed} />
          </article>
        ))}
      </section>
      {certified.length === 0 ? null : (
        <section aria-labelledby="person-add-title">
          <h3 id="person-add-title">{m('personSide.add.title')}</h3>
          <p>{m('personSide.add.explain')}</p>
          {certified.map((x) => (
            <p key={x.id}>
              {m('personSide.member', { name: x.displayName })}{' '}
              <Button className="button primary" isDisabled={add.busy} onPress={() => void add.run(x.id)}>
                {add.busy ? m('common.working') : m('personSide.add.submit')}
              </Button>
            </p>
          ))}
          <ErrorNotice error={add.error} action="participant.add" />
        </section>
      )}
      {added ? <p role="status">{m('personSide.add.done')}</p> : null}
    </>
  );
}
