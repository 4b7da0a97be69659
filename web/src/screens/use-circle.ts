import { useCallback, useEffect, useState } from 'react';
import type { CaseView } from '../../../src/client/cases.js';
import type { Member } from '../../../src/client/client.js';
import { fingerprint } from '../../../src/crypto/device-keys.js';
import { useClient, useSession } from '../device/session.js';

// A situation and the people around it, as this device checked them: each member's keys as the
// CLSM's directory log certifies them, and the fingerprint a user compares out of band.

export interface Person {
  id: string;
  name: string;
  role: string;
  organisation: string;
  status: Member['status'];
  /** Undefined when the member has no keys or their keys were refused (`refused`). */
  fingerprint: string | undefined;
  refused: boolean;
}

async function toPerson(m: Member): Promise<Person> {
  return {
    id: m.id,
    name: m.displayName,
    role: m.role,
    organisation: m.organisation,
    status: m.status,
    fingerprint:
      m.keys === undefined ? undefined : await fingerprint(m.keys.signPublicKey, m.keys.boxPublicKey),
    refused: m.keysRefused !== undefined,
  };
}

export function useCircle(caseId: string) {
  const { client } = useClient();
  const session = useSession();
  const [view, setView] = useState<CaseView | undefined>(undefined);
  const [people, setPeople] = useState<Map<string, Person>>(new Map());
  const [error, setError] = useState<unknown>(undefined);
  const reload = useCallback(async () => {
    try {
      const [v, members] = await Promise.all([client.cases.view(caseId), client.members()]);
      const persons = await Promise.all(members.map(toPerson));
      setPeople(new Map(persons.map((p) => [p.id, p])));
      setView(v);
      setError(undefined);
      await session.saveDirectoryHead();
    } catch (err) {
      setError(err);
    }
  }, [client, caseId]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { view, people, error, reload };
}
