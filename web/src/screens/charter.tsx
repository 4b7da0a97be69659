import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { useClient, useSession } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { CharterVersions } from './charter-versions.js';
import { homePath } from './role-scope.js';

export function CharterScreen() {
  const m = useMessages();
  const session = useSession();
  const { client, me } = useClient();
  const navigate = useNavigate();
  const [charter, setCharter] = useState<{ version: number; text: string } | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    await client.charter().then(setCharter, setLoadError);
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  // A new version published here: the publisher too must accept it before anything else.
  const published = async () => {
    await load();
    await session.refreshMe();
  };
  const { busy, error, run } = useAction(async () => {
    if (charter === undefined) return;
    await client.acceptCharter(charter.version);
    await session.refreshMe();
    void navigate(homePath(me.role));
  });
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('charter.title')}</h1>
      <ErrorNotice error={loadError} />
      {me.charterAccepted ? null : <p className="notice">{m('charter.required')}</p>}
      {charter === undefined ? (
        <p>{m('common.loading')}</p>
      ) : (
        <>
          <p>{m('charter.version', { version: charter.version })}</p>
          {/* Scrollable: reachable with the keyboard, named for screen readers. */}
          <div className="charter-text" tabIndex={0} role="region" aria-label={m('charter.title')}>
            {charter.text}
          </div>
          {me.charterAccepted ? (
            <>
              <p role="status">{m('charter.accepted')}</p>
              {me.role === 'coordinator' ? (
                <CharterVersions current={charter.version} onPublished={published} />
              ) : null}
            </>
          ) : (
            <>
              <ErrorNotice error={error} />
              <Button className="button primary" isDisabled={busy} onPress={() => void run()}>
                {m('charter.accept')}
              </Button>
            </>
          )}
        </>
      )}
    </section>
  );
}
