import { openDevice, type StoredDevice } from '../../../src/client/device-store.js';

// Argon2id takes most of a second: it runs here, off the page's thread, and only the unwrapped
// keys go back, to be held in the page's memory until it locks.

self.onmessage = async (event: MessageEvent<{ device: StoredDevice; passphrase: string }>) => {
  try {
    const keys = await openDevice(event.data.device, event.data.passphrase);
    self.postMessage({ keys });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.name : 'Error' });
  }
};
