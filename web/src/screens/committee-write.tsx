import { useState } from 'react';
import type { HandoverOptions } from '../../../src/client/handover.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useAction } from '../ui/use-action.js';
import { KeyCreationConfirm } from './key-creation-confirm.js';
import { describeRecipients, keyRecipients, type Recipient } from './key-creation.js';

// A write into a situation's committee compartment from a sitting (minutes, a correction, an
// action's description): when it would make the compartment's key, its recipients are shown first
// and the write waits for Confirm, as for any entry (write-entry.tsx).

type Write = (handover: HandoverOptions) => Promise<void>;

export function useCommitteeWrite(caseId: string) {
  const { client } = useClient();
  const [asking, setAsking] = useState<{ recipients: Recipient[]; write: Write } | undefined>(undefined);
  const confirmed = useAction(async () => {
    if (asking === undefined) return;
    const shown = new Set(asking.recipients.map((r) => r.memberId));
    await asking.write({ confirm: (g) => shown.has(g.memberId) });
    setAsking(undefined);
  });
  /** Writes at once when the current key serves; else asks first (the write runs on Confirm). */
  const start = async (write: Write): Promise<void> => {
    const view = await client.cases.view(caseId);
    const ids = keyRecipients(view, await client.cases.entitlementFacts(caseId), 'committee');
    if (ids === undefined) return write({});
    setAsking({ recipients: await describeRecipients(client, view, ids), write });
  };
  const question =
    asking === undefined ? null : (
      <>
        <KeyCreationConfirm
          compartment="committee"
          recipients={asking.recipients}
          busy={confirmed.busy}
          onConfirm={() => void confirmed.run()}
          onCancel={() => {
            setAsking(undefined);
          }}
        />
        <ErrorNotice error={confirmed.error} />
      </>
    );
  return { start, question };
}
