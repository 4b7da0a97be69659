// How much of each scenario to run: the full benchmark (`npm run bench`), and the smoke run of the
// test suite, one short iteration of everything, so that the benchmark cannot rot unnoticed.

export interface Profile {
  runs: number;
  http: {
    connections: number[];
    /** Connections of the read, token and probe scenarios. */
    probeConnections: number;
    clsms: number;
    readEntries: number;
    /** How long each measured run lasts; each configuration is warmed up first for warmupSeconds. */
    runSeconds: number;
    warmupSeconds: number;
  };
  audit: { clients: number[]; spreadClients: number; seconds: number };
  cedarSeconds: number;
  cryptoSeconds: number;
  verifyEvents: number;
  releaseFacts: number;
  /** The web app in Chromium: unlock then open a situation, `rounds` times. */
  web: { rounds: number; entries: number };
}

export const FULL: Profile = {
  runs: 3,
  http: {
    connections: [16, 64],
    probeConnections: 16,
    clsms: 16,
    readEntries: 5,
    runSeconds: 5,
    warmupSeconds: 2,
  },
  audit: { clients: [1, 4, 16], spreadClients: 16, seconds: 3 },
  cedarSeconds: 2,
  cryptoSeconds: 1,
  verifyEvents: 1_000_000,
  releaseFacts: 100_000,
  web: { rounds: 5, entries: 500 },
};

export const SMOKE: Profile = {
  runs: 1,
  http: {
    connections: [2],
    probeConnections: 2,
    clsms: 2,
    readEntries: 2,
    runSeconds: 0.2,
    warmupSeconds: 0,
  },
  audit: { clients: [1], spreadClients: 2, seconds: 0.2 },
  cedarSeconds: 0.1,
  cryptoSeconds: 0.05,
  verifyEvents: 2_000,
  releaseFacts: 2_000,
  web: { rounds: 1, entries: 3 },
};
