import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// A member who lost their device asks the coordination for a one-time recovery code: with it and
// their passphrase, their key backup opens on a new device (« J'ai perdu mon appareil »). The code
// alone opens nothing; it is shown here once, to be handed over in person or by phone.

export function RecoveryCode(props: { members: readonly Member[] }) {
  const m = useMessages();
  const { client, me } = useClient();
  const candidates = props.members.filter((x) => x.certifiedBy !== undefined && x.id !== me.memberId);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [issued, setIssued] = useState<{ name: string; code: string; expiresAt: string } | undefined>(
    undefined,
  );
  const member = candidates.find((x) => x.id === chosen) ?? candidates[0];
  const { busy, error, run } = useAction(async () => {
    if (member === undefined) return;
    setIssued(undefined);
    const answer = await client.request<{ code: string; expiresAt: string }>(
      'POST',
      `/v1/members/${member.id}/recovery-codes`,
    );
    setIssued({ name: member.displayName, ...answer });
  });
  if (member === undefined) return null;
  return (
    <section aria-labelledby="recovery-title">
      <h2 id="recovery-title">{m('members.recovery.title')}</h2>
      <p>{m('members.recovery.explain')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Choice
          label={m('members.recovery.member')}
          name="member"
          value={member.id}
          onChange={setChosen}
          options={candidates.map((x) => ({
            id: x.id,
            label: `${x.displayName} — ${m(`role.${x.role}` as MessageId)}, ${x.organisation}`,
          }))}
        />
        <ErrorNotice error={error} />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {m('members.recovery.submit')}
        </Button>
      </Form>
      {issued === undefined ? null : (
        <div role="status" className="notice">
          <p>
            {m('members.recovery.code', { name: issued.name })}{' '}
            <FormattedDate value={issued.expiresAt} dateStyle="medium" timeStyle="short" />
          </p>
          <p>
            <code className="code">{issued.code}</code>
          </p>
          <p>{m('members.recovery.next')}</p>
        </div>
      )}
    </section>
  );
}
