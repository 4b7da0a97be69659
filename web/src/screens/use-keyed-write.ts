import { useState } from 'react';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { useAction } from '../ui/use-action.js';
import { describeRecipients, keyRecipients, type Recipient } from './key-creation.js';

/**
 * Writes an entry into one compartment; when the write creates the compartment's key, `asking`
 * holds its recipients and nothing is written until `confirm` (the key goes to them, no one else).
 */
export function useKeyedWrite(caseId: string, compartment: Compartment, onSaved: () => Promise<void>) {
  const { client } = useClient();
  const [asking, setAsking] = useState<{ plaintext: Uint8Array; recipients: Recipient[] } | undefined>(
    undefined,
  );
  const save = async (plaintext: Uint8Array, shown?: ReadonlySet<string>) => {
    await client.cases.write(
      caseId,
      compartment,
      plaintext,
      shown === undefined ? {} : { confirm: (g) => shown.has(g.memberId) },
    );
    await onSaved();
  };
  const write = useAction(async (plaintext: Uint8Array) => {
    const view = await client.cases.view(caseId);
    const ids = keyRecipients(view, await client.cases.entitlementFacts(view.id), compartment);
    if (ids === undefined) return save(plaintext);
    setAsking({ plaintext, recipients: await describeRecipients(client, view, ids) });
  });
  const confirm = useAction(async () => {
    if (asking === undefined) return;
    await save(asking.plaintext, new Set(asking.recipients.map((r) => r.memberId)));
    setAsking(undefined);
  });
  return {
    asking: asking?.recipients,
    write,
    confirm,
    cancel: () => {
      setAsking(undefined);
    },
  };
}
