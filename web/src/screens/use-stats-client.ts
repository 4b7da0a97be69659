import { useEffect, useState } from 'react';
import { UnreachableError } from '../../../src/client/http.js';
import { StatsClient } from '../../../src/client/stats.js';
import { useClient } from '../device/session.js';

// The bilan is read from the statistics server, whose address on this site the server that serves
// the app gives in its settings (docs/adr/0024); the same tokens, the content hash checked by the SDK.

const SETTINGS_PATH = '/app-settings.json';

export function useStatsClient(): { stats: StatsClient | undefined; error: unknown } {
  const { client } = useClient();
  const [stats, setStats] = useState<StatsClient | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    fetch(SETTINGS_PATH)
      .then((r) => {
        if (!r.ok) throw new UnreachableError(`no settings at ${SETTINGS_PATH}: ${r.status}`);
        return r.json() as Promise<{ statsServer: string }>;
      })
      .then(({ statsServer }) => {
        setStats(new StatsClient(client, statsServer));
      }, setError);
  }, [client]);
  return { stats, error };
}
