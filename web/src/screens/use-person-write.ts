import { useState } from 'react';
import { useKeyedWrite } from './use-keyed-write.js';

/**
 * The person writes in their space (the `person` compartment), encrypted and signed on their
 * device; when the write makes a new key, `asking` holds who will read it until they answer.
 * `onSaved` runs once the entry is stored.
 */
export function usePersonWrite(caseId: string, onSaved: () => Promise<void>) {
  const [outcome, setOutcome] = useState<'sent' | 'cancelled' | undefined>(undefined);
  const writing = useKeyedWrite(caseId, async () => {
    await onSaved();
    setOutcome('sent');
  });
  return {
    outcome,
    asking: writing.asking,
    busy: writing.write.busy || writing.confirm.busy,
    error: writing.write.error ?? writing.confirm.error,
    send: async (plaintext: Uint8Array) => {
      setOutcome(undefined);
      await writing.write.run('person', plaintext);
    },
    confirm: () => void writing.confirm.run(),
    cancel: () => {
      writing.cancel();
      setOutcome('cancelled');
    },
  };
}
