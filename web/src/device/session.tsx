import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ClsmClient, type Me } from '../../../src/client/client.js';
import { sealDevice } from '../../../src/client/device-store.js';
import { loadedHead, storedHead } from '../../../src/client/directory.js';
import { fromBase64, toBase64 } from '../../../src/crypto/encoding.js';
import { recoverIdentity, uploadBackup, wrapBackup } from '../../../src/client/recovery.js';
import { fingerprint, fingerprintText, type DeviceKeys } from '../../../src/crypto/device-keys.js';
import { browserStore, type BrowserDevice } from './indexeddb-store.js';
import { unlockInWorker } from './unlock.js';
import { useIdleLock } from './idle-lock.js';

// The device's state in the page. Unlocked keys live only here, in memory: locking wipes them and
// keeps the device; logging out ends the session on the server and forgets the device.

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

function wipe(keys: DeviceKeys): void {
  keys.signSecretKey.fill(0);
  keys.boxSecretKey.fill(0);
}

/** A backup the server could not take at enrollment (charte not yet accepted) is sent when it can be. */
async function sendPendingBackup(device: BrowserDevice, client: ClsmClient): Promise<void> {
  if (device.pendingBackup === undefined) return;
  const sent = await uploadBackup(client, device.pendingBackup).then(
    () => true,
    () => false,
  );
  if (!sent) return;
  delete device.pendingBackup;
  await browserStore.save(device);
}

async function openClient(device: BrowserDevice, keys: DeviceKeys): Promise<{ client: ClsmClient; me: Me }> {
  const client = new ClsmClient(
    { serverUrl: window.location.origin, clsmId: device.tenantId, memberId: device.memberId, keys },
    {
      anchor: device.anchor === undefined ? undefined : fromBase64(device.anchor),
      directoryHead: device.directoryHead === undefined ? undefined : loadedHead(device.directoryHead),
      onDirectoryHead: (head) => {
        device.directoryHead = storedHead(head);
      },
    },
  );
  const me = await client.me();
  await sendPendingBackup(device, client);
  return { client, me };
}

async function cardOf(device: BrowserDevice, keys: DeviceKeys): Promise<DeviceCard> {
  return {
    clsmId: device.tenantId,
    memberId: device.memberId,
    role: device.role,
    fingerprint: await fingerprint(keys.signPublicKey, keys.boxPublicKey),
    root: device.anchor === undefined ? '' : fingerprintText(fromBase64(device.anchor)),
  };
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
      wipe(current.client.identity.keys);
      return { status: 'locked', device: current.device };
    });
  }, []);
  useIdleLock(state.status === 'unlocked', lock);

  /** Stores a new device and unlocks it. */
  const keep = useCallback(async (device: BrowserDevice, keys: DeviceKeys) => {
    await browserStore.save(device);
    void navigator.storage.persist().catch(() => false);
    setState({ status: 'unlocked', device, ...(await openClient(device, keys)) });
  }, []);

  const session = useMemo<Session>(
    () => ({
      state,
      enroll: async (code, passphrase) => {
        const { identity, me, anchor, sas } = await ClsmClient.enroll(window.location.origin, code);
        const base = {
          server: identity.serverUrl,
          tenantId: me.tenantId,
          memberId: me.memberId,
          role: me.role,
          anchor: toBase64(anchor),
        };
        const device: BrowserDevice = {
          ...(await sealDevice(base, identity.keys, passphrase)),
          pendingBackup: await wrapBackup(identity, anchor, passphrase),
        };
        await keep(device, identity.keys);
        return { ...(await cardOf(device, identity.keys)), ...(sas === undefined ? {} : { sas }) };
      },
      // The recovery stored a backup of the new keys already: nothing waits to be sent.
      recover: async (code, passphrase) => {
        const { role, anchor, ...identity } = await recoverIdentity(window.location.origin, code, passphrase);
        const base = {
          server: identity.serverUrl,
          tenantId: identity.clsmId,
          memberId: identity.memberId,
          role,
          anchor: toBase64(anchor),
        };
        const device: BrowserDevice = await sealDevice(base, identity.keys, passphrase);
        await keep(device, identity.keys);
        return cardOf(device, identity.keys);
      },
      unlock: async (passphrase) => {
        if (state.status !== 'locked') return;
        const keys = await unlockInWorker(state.device, passphrase);
        setState({ status: 'unlocked', device: state.device, ...(await openClient(state.device, keys)) });
      },
      lock,
      logout: async () => {
        if (state.status === 'unlocked') {
          await state.client.logout().catch(() => undefined);
          wipe(state.client.identity.keys);
        }
        await browserStore.clear();
        setState({ status: 'none' });
      },
      refreshMe: async () => {
        if (state.status !== 'unlocked') return;
        const me = await state.client.me();
        await sendPendingBackup(state.device, state.client);
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
