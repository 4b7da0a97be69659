import { useClient } from '../device/session.js';
import { useMessages } from '../ui/messages.js';
import { AuditCheck } from './audit-check.js';
import { ReportFinder } from './report-finder.js';

// The DPO's screen: a situation's access report found by its reference, and the audit log checked
// against checkpoints kept outside the server. No situation content, no list of situations.

export function PrivacyScreen() {
  const m = useMessages();
  const { client } = useClient();
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('privacy.title')}</h1>
      <p>{m('privacy.intro')}</p>
      <ReportFinder find={(reference) => client.cases.findByReference(reference)} />
      <AuditCheck
        verify={(text) => client.audit.verify(text)}
        checkpoints={() => client.audit.checkpoints()}
      />
    </section>
  );
}
