import { Button } from 'react-aria-components';
import { FormattedDate } from 'react-intl';
import type { DeviceCard } from '../device/session.js';
import type { MessageId } from '../i18n/fr.js';
import { useMessages } from '../ui/messages.js';

// The recovery sheet, to print and keep apart from the device: who this device is (ids and
// fingerprints) and how to replace it. It holds no secret: the passphrase is remembered, the
// recovery code is asked for when needed, keys never leave the device unwrapped. The print
// stylesheet (styles.css, @media print) prints the sheet alone.

export function RecoverySheet({ card }: { card: DeviceCard }) {
  const m = useMessages();
  const rows: [MessageId, string][] = [
    ['sheet.clsm', card.clsmId],
    ['sheet.member', card.memberId],
    ['sheet.role', m(`role.${card.role}` as MessageId)],
    ['sheet.fingerprint', card.fingerprint],
    ['sheet.root', card.root],
  ];
  return (
    <section aria-labelledby="sheet-title">
      <div className="recovery-sheet">
        <h2 id="sheet-title">{m('sheet.title')}</h2>
        <dl>
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{m(label)}</dt>
              <dd>
                {label === 'sheet.fingerprint' || label === 'sheet.root' ? <code>{value}</code> : value}
              </dd>
            </div>
          ))}
          <div>
            <dt>{m('sheet.date')}</dt>
            <dd>
              <FormattedDate value={new Date()} dateStyle="long" />
            </dd>
          </div>
        </dl>
        <h3>{m('sheet.howTo')}</h3>
        <ol>
          <li>{m('sheet.keepApart')}</li>
          <li>{m('sheet.noPassphrase')}</li>
          <li>{m('sheet.recover', { address: `${window.location.origin}/recuperation` })}</li>
          <li>{m('sheet.certify')}</li>
        </ol>
        <p>{m('sheet.noSecret')}</p>
      </div>
      <Button
        className="button"
        onPress={() => {
          window.print();
        }}
      >
        {m('sheet.print')}
      </Button>
    </section>
  );
}
