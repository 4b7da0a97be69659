import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ClsmClient, Me } from '../../../src/client/client.js';
import type { DeviceKeys } from '../../../src/crypto/device-keys.js';
import { browserStore, type BrowserDevice } from './indexeddb-store.js';
import { unlockInWorker } from './unlock.js';
import { useIdleLock } from './idle-lock.js';

// The device's state in the page. Unlocked keys live only here, in memory: locking wipes them and
// keeps the device; logging out ends the session on the server and forgets the device. The client
// core (the SDK and its schemas) loads with the first enrollment, recovery or unlock, not with the
// page: the script sent before unlock stays small (docs/performance.md).

const core = () => import('./device-client.js');

export type SessionState =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'locked'; device: BrowserDevice }
  | { status: 'unlocked'; device: BrowserDevice; client: ClsmClient; me: Me };

/** Who this device is, as the recovery sheet prints it: ids and fingerprints, never a secret. */
export interface DeviceCard {
  clsmId: string;
  memberId: string;
  role: string;
  /** The fingerprint of this device's keys. */
  fingerprint: string;
  /** The fingerprint of the CLSM's root of trust. */
  root: string;
}

export interface Session {
  state: SessionState;
  enroll(code: string, passphrase: string): Promise<DeviceCard & { sas?: string }>;
  /** Replaces a lost device with a coordinator's recovery code and the passphrase of the key backup. */
  recover(code: string, passphrase: string): Promise<DeviceCard>;
  unlock(passphrase: string): Promise<void>;
  lock: () => void;
  logout(): Promise<void>;
  refreshMe(): Promise<void>;
  saveDirectoryHead(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

function wipeKeys(keys: DeviceKeys): void {
  keys.signSecretKey.fill(0);
  keys.boxSecretKey.fill(0);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    void browserStore.load().then(
      (device) => {
        setState(device === undefined ? { status: 'none' } : { status: 'locked', device });
      },
      () => {
        setState({ status: 'none' });
      },
    );
  }, []);

  const lock = useCallback(() => {
    setState((current) => {
      if (current.status !== 'unlocked') return current;
      wipeKeys(current.client.identity.keys);
      return { status: 'locked', device: current.device };
    });
  }, []);
  useIdleLock(state.status === 'unlocked', lock);

  /** Stores a new device and unlocks it. */
  const keep = useCallback(async (device: BrowserDevice, keys: DeviceKeys) => {
    await browserStore.save(device);
    void navigator.storage.persist().catch(() => false);
    setState({ status: 'unlocked', device, ...(await (await core()).openClient(device, keys)) });
  }, []);

  const session = useMemo<Session>(
    () => ({
      state,
      enroll: async (code, passphrase) => {
        const { enrolledDevice, cardOf } = await core();
        const { device, keys, sas } = await enrolledDevice(code, passphrase);
        await keep(device, keys);
        return { ...(await cardOf(device, keys)), ...(sas === undefined ? {} : { sas }) };
      },
      recover: async (code, passphrase) => {
        const { recoveredDevice, cardOf } = await core();
        const { device, keys } = await recoveredDevice(code, passphrase);
        await keep(device, keys);
        return cardOf(device, keys);
      },
      unlock: async (passphrase) => {
        if (state.status !== 'locked') return;
        const [keys, { openClient }] = await Promise.all([unlockInWorker(state.device, passphrase), core()]);
        setState({ status: 'unlocked', device: state.device, ...(await openClient(state.device, keys)) });
      },
      lock,
      logout: async () => {
        if (state.status === 'unlocked') {
          await state.client.logout().catch(() => undefined);
          wipeKeys(state.client.identity.keys);
        }
        await browserStore.clear();
        setState({ status: 'none' });
      },
      refreshMe: async () => {
        if (state.status !== 'unlocked') return;
        const me = await state.client.me();
        await (await core()).sendPendingBackup(state.device, state.client);
        setState({ ...state, me });
      },
      saveDirectoryHead: async () => {
        if (state.status !== 'unlocked') return;
        await browserStore.save(state.device);
      },
    }),
    [state, lock, keep],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The unlocked client; only for screens behind RequireUnlocked. */
export function useClient(): { client: ClsmClient; me: Me } {
  const { state } = useSession();
  if (state.status !== 'unlocked') throw new Error('the device is locked');
  return state;
}
