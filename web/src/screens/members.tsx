import { useCallback, useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { Member } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { QrCode } from '../ui/qr-code.js';
import { useAction } from '../ui/use-action.js';
import { Certify } from './member-certify.js';
import { MemberRow, stageOf } from './member-row.js';
import { withNewKeys } from './new-keys.js';

// Les membres (coordination): inviting a colleague with a code this device makes, and certifying
// the keys they registered once the four-symbol code they read out matches. Until then nobody
// seals a key to them: the server's word about who they are is not enough. The same holds for a
// member who replaced a lost device (a recovery code made here, in their row of the directory):
// their new keys are certified by the fingerprint they read out. The directory lists everyone with
// their role, organisation and status; suspending and reinstating are signed statements.

const ROLES = ['health_professional', 'social_worker', 'partner', 'coordinator', 'elected_official', 'dpo'];

function Invite(props: { onInvited(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [role, setRole] = useState('health_professional');
  const [organisation, setOrganisation] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState<string | undefined>(undefined);
  const { busy, error, run } = useAction(async () => {
    setCode(undefined);
    setCode((await client.invite(role, organisation, name)).code);
    await props.onInvited();
  });
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{m('members.invite.title')}</h2>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Choice
          label={m('members.invite.role')}
          name="role"
          value={role}
          onChange={setRole}
          options={ROLES.map((r) => ({ id: r, label: m(`role.${r}` as MessageId) }))}
        />
        <Field
          label={m('members.invite.organisation')}
          name="organisation"
          value={organisation}
          onChange={setOrganisation}
        />
        <Field label={m('members.invite.name')} name="displayName" value={name} onChange={setName} />
        <ErrorNotice error={error} action="member.invite" />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {m('members.invite.submit')}
        </Button>
      </Form>
      {code === undefined ? null : (
        <div role="status" className="notice">
          <p>{m('members.invite.code')}</p>
          <p>
            <code className="code">{code}</code>
          </p>
          <QrCode text={code} label={m('members.invite.qr')} />
          <p>{m('members.invite.next')}</p>
        </div>
      )}
    </section>
  );
}

export function MembersScreen() {
  const m = useMessages();
  const { client, me } = useClient();
  const [members, setMembers] = useState<Member[] | undefined>(undefined);
  const [renewed, setRenewed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      const [all, listed] = await Promise.all([client.members(), client.listing()]);
      // Only those who enrolled (keys registered) can be certified.
      const enrolled = new Set(listed.filter((l) => l.keys !== null).map((l) => l.id));
      setMembers(all.filter((x) => x.keys !== undefined || enrolled.has(x.id)));
      setRenewed(new Set(withNewKeys(all, listed).map((x) => x.id)));
    } catch (err) {
      setError(err);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  const stage = (x: Member) => stageOf(x, renewed.has(x.id));
  const waiting = (members ?? []).filter((x) => stage(x) === 'enrolled');
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('members.title')}</h1>
      <p>{m('members.intro')}</p>
      <ErrorNotice error={error} />
      <Invite onInvited={load} />
      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">{m('members.waiting.title')}</h2>
        {waiting.length === 0 ? <p>{m('members.waiting.none')}</p> : null}
        {waiting.map((x) => (
          <article key={x.id} aria-label={x.displayName}>
            <h3>
              {x.displayName}, {m(`role.${x.role}` as MessageId)}, {x.organisation}
            </h3>
            <Certify member={x} by="sas" onCertified={load} />
          </article>
        ))}
      </section>
      <section aria-labelledby="directory-title">
        <h2 id="directory-title">{m('members.directory.title')}</h2>
        <p>{m('members.directory.explain')}</p>
        {members === undefined ? <p>{m('common.loading')}</p> : null}
        <ul className="member-list">
          {(members ?? []).map((x) => (
            <MemberRow key={x.id} member={x} stage={stage(x)} self={x.id === me.memberId} onChanged={load} />
          ))}
        </ul>
      </section>
    </section>
  );
}
