import { useCallback, useEffect, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import type { Member } from '../../../src/client/client.js';
import type { Sittings } from '../../../src/client/sittings.js';
import type { Role } from '../../../src/kernel/roles.js';
import { useClient } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { Checks } from '../ui/checks.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { Field } from '../ui/fields.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { attendsSittings, runsSittings } from './role-scope.js';

// Séances de la cellule: the sittings the member is convened to (every one, for the coordinator),
// and, for the coordinator, a new sitting planned with the members it convenes.

type Summary = Awaited<ReturnType<Sittings['list']>>['sittings'][number];

function NewSitting(props: { members: Member[] }) {
  const m = useMessages();
  const { client, me } = useClient();
  const navigate = useNavigate();
  const [when, setWhen] = useState('');
  const [location, setLocation] = useState('');
  const [convened, setConvened] = useState<string[]>([me.memberId]);
  const { busy, error, run } = useAction(async () => {
    const id = await client.sittings.create(new Date(when), location, convened);
    await navigate(`/seances/${id}`);
  });
  return (
    <section aria-labelledby="new-title">
      <h2 id="new-title">{m('sittings.new.title')}</h2>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field
          label={m('sittings.new.when')}
          name="scheduledFor"
          type="datetime-local"
          value={when}
          onChange={setWhen}
        />
        <Field label={m('sittings.new.location')} name="location" value={location} onChange={setLocation} />
        <Checks
          label={m('sittings.new.convened')}
          name="convened"
          value={convened}
          onChange={setConvened}
          options={props.members
            .filter((x) => x.status === 'active' && attendsSittings(x.role as Role))
            .map((x) => ({
              id: x.id,
              label: `${x.displayName} (${m(`role.${x.role}` as MessageId)}, ${x.organisation})`,
            }))}
        />
        <ErrorNotice error={error} />
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? m('common.working') : m('sittings.new.submit')}
        </Button>
      </Form>
    </section>
  );
}

export function SittingsScreen() {
  const m = useMessages();
  const { client, me } = useClient();
  const [sittings, setSittings] = useState<Summary[] | undefined>(undefined);
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setSittings((await client.sittings.list()).sittings);
      if (runsSittings(me.role)) setMembers(await client.members());
    } catch (err) {
      setError(err);
    }
  }, [client, me.role]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('sittings.title')}</h1>
      <p>{m('sittings.intro')}</p>
      <ErrorNotice error={error} />
      {sittings === undefined && error === undefined ? <p>{m('common.loading')}</p> : null}
      {sittings !== undefined && sittings.length === 0 ? <p>{m('sittings.empty')}</p> : null}
      {sittings !== undefined && sittings.length > 0 ? (
        <table aria-labelledby="title">
          <thead>
            <tr>
              <th scope="col">{m('sittings.col.date')}</th>
              <th scope="col">{m('sittings.col.location')}</th>
              <th scope="col">{m('sittings.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {sittings.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/seances/${s.id}`}>
                    <FormattedDate value={s.scheduledFor} dateStyle="full" timeStyle="short" />
                  </Link>
                </td>
                <td>{s.location}</td>
                <td>{m(`sittingStatus.${s.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {runsSittings(me.role) && members.length > 0 ? <NewSitting members={members} /> : null}
    </section>
  );
}
