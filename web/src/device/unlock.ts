import type { DeviceKeys } from '../../../src/crypto/device-keys.js';
import type { StoredDevice } from '../../../src/client/device-store.js';

export class UnlockError extends Error {
  override name = 'UnlockError';
}

/** Unwraps the device keys in a Worker; the worker ends with the answer. */
export function unlockInWorker(device: StoredDevice, passphrase: string): Promise<DeviceKeys> {
  const worker = new Worker(new URL('./unlock.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<DeviceKeys>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ keys?: DeviceKeys; error?: string }>) => {
      worker.terminate();
      if (event.data.keys !== undefined) resolve(event.data.keys);
      else reject(new UnlockError(event.data.error ?? 'Error'));
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new UnlockError('WorkerError'));
    };
    worker.postMessage({ device, passphrase });
  });
}
