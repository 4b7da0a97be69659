import { useState } from 'react';
import type { Compartment } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { useAction } from '../ui/use-action.js';
import { describeRecipients, keyRecipients, type Recipient } from './key-creation.js';

/** A write waiting for the user's answer: the compartment's new key would go to these recipients. */
export interface Asking {
  compartment: Compartment;
  recipients: Recipient[];
}

/**
 * Writes an entry, encrypted and signed here by the SDK; when the write creates the compartment's
 * key, `asking` holds its recipients and nothing is written until `confirm` (the key goes to them,
 * no one else) or `cancel`.
 */
export function useKeyedWrite(caseId: string, onSaved: () => Promise<void>) {
  const { client } = useClient();
  const [asking, setAsking] = useState<(Asking & { plaintext: Uint8Array }) | undefined>(undefined);
  const save = async (compartment: Compartment, plaintext: Uint8Array, shown?: ReadonlySet<string>) => {
    await client.cases.write(
      caseId,
      compartment,
      plaintext,
      shown === undefined ? {} : { confirm: (g) => shown.has(g.memberId) },
    );
    await onSaved();
  };
  const write = useAction(async (compartment: Compartment, plaintext: Uint8Array) => {
    const view = await client.cases.view(caseId);
    const ids = keyRecipients(view, await client.cases.entitlementFacts(view.id), compartment);
    if (ids === undefined) return save(compartment, plaintext);
    setAsking({ compartment, plaintext, recipients: await describeRecipients(client, view, ids) });
  });
  const confirm = useAction(async () => {
    if (asking === undefined) return;
    await save(asking.compartment, asking.plaintext, new Set(asking.recipients.map((r) => r.memberId)));
    setAsking(undefined);
  });
  return {
    asking:
      asking === undefined ? undefined : { compartment: asking.compartment, recipients: asking.recipients },
    write,
    confirm,
    cancel: () => {
      setAsking(undefined);
    },
  };
}
