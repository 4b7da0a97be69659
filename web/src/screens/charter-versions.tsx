import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useCallback, useEffect, useState } from 'react';

import { FormattedDate } from 'react-intl';
import type { CharterVersion } from '../../../src/client/client.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';

// The coordination's view of the charte éthique: every version shipped with the service, when this
// CLSM published it and how many members accepted it; a later version published here. Publishing
// puts every member, the publisher too, out of the situations until they accept it (the server's
// charter guard; the app's Gate sends them to the charte).

function Publish(props: { version: number; onPublished(): Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const { busy, error, run } = useAction(async (close: () => void) => {
    await client.coordination.publishCharter(props.version);
    close();
    await props.onPublished();
  });
  return (
    <ConfirmDialog
      button={m('charter.publish.button', { version: props.version })}
      buttonClass="button primary"
      title={m('charter.publish.title', { version: props.version })}
      explain={m('charter.publish.explain')}
      cancel={m('charter.publish.cancel')}
      confirm={m('charter.publish.confirm')}
      tone="primary"
      busy={busy}
      error={error}
      onConfirm={(close) => void run(close)}
    />
  );
}

export function CharterVersions(props: { current: number; onPublished: () => Promise<void> }) {
  const m = useMessages();
  const { client } = useClient();
  const [versions, setVersions] = useState<CharterVersion[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setVersions(await client.coordination.charterVersions());
    } catch (err) {
      setError(err);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  const next = versions?.find((v) => v.publishedAt === null && v.version > props.current);
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{m('charter.versions.title')}</h2>
      <ErrorNotice error={error} />
      <ul>
        {(versions ?? []).map((v) => (
          <li key={v.version}>
            {m('charter.version', { version: v.version })} :{' '}
            {v.publishedAt === null ? (
              m('charter.versions.shipped')
            ) : (
              <>
                {m(v.version === props.current ? 'charter.versions.current' : 'charter.versions.past')}{' '}
                <FormattedDate value={v.publishedAt} dateStyle="long" />,{' '}
                {m('charter.versions.acceptances', { count: v.acceptances })}
              </>
            )}
          </li>
        ))}
      </ul>
      {next === undefined ? (
        versions === undefined ? null : (
          <p>{m('charter.versions.none')}</p>
        )
      ) : (
        <>
          <h3>{m('charter.versions.next', { version: next.version })}</h3>
          <div
            className="charter-text"
            tabIndex={0}
            role="region"
            aria-label={m('charter.versions.next', { version: next.version })}
          >
            {next.text}
          </div>
          <Publish version={next.version} onPublished={props.onPublished} />
        </>
      )}
    </section>
  );
}
