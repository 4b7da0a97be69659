import type { DeviceStore, StoredDevice } from '../../../src/client/device-store.js';
import type { KeyBackup } from '../../../src/client/recovery.js';

// The browser's DeviceStore: one record in IndexedDB holding the device as the CLI's profile holds
// it (secret keys only Argon2id-wrapped), and a key backup waiting to be sent if the server could
// not take it yet. Decrypted content is never stored by the browser.

const DB = 'clsm';
const STORE = 'device';

export interface BrowserDevice extends StoredDevice {
  pendingBackup?: KeyBackup;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('IndexedDB unavailable'));
    };
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = act(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => {
        resolve(req.result as T);
      };
      req.onerror = () => {
        reject(req.error ?? new Error('IndexedDB request failed'));
      };
    });
  } finally {
    db.close();
  }
}

export const browserStore = {
  load: () => run<BrowserDevice | undefined>('readonly', (s) => s.get('current')),
  save: async (device: BrowserDevice) => {
    await run('readwrite', (s) => s.put(device, 'current'));
  },
  clear: async () => {
    await run('readwrite', (s) => s.delete('current'));
  },
} satisfies DeviceStore & { clear(): Promise<void> };
