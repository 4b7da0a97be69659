import type { DeviceKeys } from '../crypto/device-keys.js';
import { fromBase64, toBase64 } from '../crypto/encoding.js';
import { unwrapSecret, wrapSecret, type WrappedSecret } from '../crypto/key-backup.js';
import type { StoredHead } from './directory.js';

// What a device keeps between runs: its identity, its secret keys wrapped under the user's
// passphrase (Argon2id), the CLSM's trust anchor and the directory log's head it verified last. Where it is kept is the caller's
// business: a file for the CLI (src/cli/profile.ts), IndexedDB in the browser (web/). Only the
// wrapped form is ever stored; unwrapped keys live in memory.

export interface StoredDevice {
  server: string;
  tenantId: string;
  memberId: string;
  role: string;
  keyVersion: number;
  signPublicKey: string;
  boxPublicKey: string;
  secretKeys: WrappedSecret;
  /** Base64 of the 16 bytes of the CLSM root's fingerprint digest this device trusts. */
  anchor?: string | undefined;
  directoryHead?: StoredHead | undefined;
}

export interface DeviceStore {
  load(): Promise<StoredDevice | undefined>;
  save(device: StoredDevice): Promise<void>;
}

export type DeviceBase = Pick<StoredDevice, 'server' | 'tenantId' | 'memberId' | 'role' | 'anchor'>;

const SECRET_PURPOSE = 'clsm-profile-secret-keys';

/** Wraps fresh device keys under the passphrase, ready to be stored. */
export async function sealDevice(
  base: DeviceBase,
  keys: DeviceKeys,
  passphrase: string,
  params?: { opslimit?: number; memlimit?: number },
): Promise<StoredDevice> {
  const secrets = new Uint8Array([...keys.signSecretKey, ...keys.boxSecretKey]);
  try {
    return {
      ...base,
      keyVersion: keys.version,
      signPublicKey: toBase64(keys.signPublicKey),
      boxPublicKey: toBase64(keys.boxPublicKey),
      secretKeys: await wrapSecret(secrets, passphrase, SECRET_PURPOSE, params),
    };
  } finally {
    secrets.fill(0);
  }
}

/** Unwraps the device keys; throws WrongPassphraseError (or a parameter error) otherwise. */
export async function openDevice(device: StoredDevice, passphrase: string): Promise<DeviceKeys> {
  const secrets = await unwrapSecret(device.secretKeys, passphrase, SECRET_PURPOSE);
  const keys: DeviceKeys = {
    version: device.keyVersion,
    signPublicKey: fromBase64(device.signPublicKey),
    boxPublicKey: fromBase64(device.boxPublicKey),
    signSecretKey: secrets.slice(0, 64),
    boxSecretKey: secrets.slice(64, 96),
  };
  secrets.fill(0);
  return keys;
}
