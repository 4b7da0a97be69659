import { useEffect, useState } from 'react';
import { FormattedDate } from 'react-intl';
import type { ClsmSettings } from '../../../src/client/client.js';
import { fingerprintText } from '../../../src/crypto/device-keys.js';
import { fromBase64 } from '../../../src/crypto/encoding.js';
import { useClient, useSession } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';

// The CLSM's settings as the coordination sees them: read-only. Nothing here is set by a member:
// the name is given when the CLSM is created, the rest by the service's configuration (its
// operator). The root of trust is the fingerprint this device keeps from its enrollment.

export function ClsmSettingsScreen() {
  const m = useMessages();
  const { client } = useClient();
  const { state } = useSession();
  const [settings, setSettings] = useState<ClsmSettings | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    client.coordination.settings().then(setSettings, setError);
  }, [client]);
  const anchor = state.status === 'unlocked' ? state.device.anchor : undefined;
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('settings.title')}</h1>
      <p>{m('settings.intro')}</p>
      <ErrorNotice error={error} />
      {settings === undefined ? (
        error === undefined ? (
          <p>{m('common.loading')}</p>
        ) : null
      ) : (
        <dl className="settings">
          <dt>{m('settings.name')}</dt>
          <dd>{settings.name}</dd>
          <dt>{m('settings.id')}</dt>
          <dd>
            <code>{settings.id}</code>
          </dd>
          <dt>{m('settings.created')}</dt>
          <dd>
            <FormattedDate value={settings.createdAt} dateStyle="long" />
          </dd>
          {anchor === undefined ? null : (
            <>
              <dt>{m('settings.root')}</dt>
              <dd>
                <code>{fingerprintText(fromBase64(anchor))}</code>
              </dd>
            </>
          )}
          <dt>{m('settings.retention')}</dt>
          <dd>{m('settings.retention.value', { days: settings.retentionDays })}</dd>
          <dt>{m('settings.exception')}</dt>
          <dd>{m('settings.exception.value', { hours: settings.exceptionDefaultHours })}</dd>
          <dt>{m('settings.release')}</dt>
          <dd>
            {settings.statistics.approvalThreshold === 0
              ? m('settings.release.always')
              : m('settings.release.value', {
                  threshold: settings.statistics.approvalThreshold,
                  days: settings.statistics.approvalWindowDays,
                })}
          </dd>
        </dl>
      )}
    </section>
  );
}
