import { ClsmClient, type Me } from '../../../src/client/client.js';
import { sealDevice } from '../../../src/client/device-store.js';
import { loadedHead, storedHead } from '../../../src/client/directory.js';
import { recoverIdentity, uploadBackup, wrapBackup } from '../../../src/client/recovery.js';
import { fingerprint, fingerprintText, type DeviceKeys } from '../../../src/crypto/device-keys.js';
import { fromBase64, toBase64 } from '../../../src/crypto/encoding.js';
import type { DeviceCard } from './session.js';
import { browserStore, type BrowserDevice } from './indexeddb-store.js';

// What the session does with the client core, loaded on demand (session.tsx): the device made at
// enrollment or recovery, the client opened at unlock, the backup sent once the server takes it.

/** A backup the server could not take at enrollment (charte not yet accepted) is sent when it can be. */
export async function sendPendingBackup(device: BrowserDevice, client: ClsmClient): Promise<void> {
  if (device.pendingBackup === undefined) return;
  const sent = await uploadBackup(client, device.pendingBackup).then(
    () => true,
    () => false,
  );
  if (!sent) return;
  delete device.pendingBackup;
  await browserStore.save(device);
}

export async function openClient(
  device: BrowserDevice,
  keys: DeviceKeys,
): Promise<{ client: ClsmClient; me: Me }> {
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

export async function cardOf(device: BrowserDevice, keys: DeviceKeys): Promise<DeviceCard> {
  return {
    clsmId: device.tenantId,
    memberId: device.memberId,
    role: device.role,
    fingerprint: await fingerprint(keys.signPublicKey, keys.boxPublicKey),
    root: device.anchor === undefined ? '' : fingerprintText(fromBase64(device.anchor)),
  };
}

/** A new device from an enrollment code: keys made here, sealed under the passphrase, backed up. */
export async function enrolledDevice(
  code: string,
  passphrase: string,
): Promise<{ device: BrowserDevice; keys: DeviceKeys; sas?: string }> {
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
  return { device, keys: identity.keys, ...(sas === undefined ? {} : { sas }) };
}

/**
 * A device that replaces a lost one: new keys from the recovery, the trust anchor from the backup.
 * The recovery stored a backup of the new keys already: nothing waits to be sent.
 */
export async function recoveredDevice(
  code: string,
  passphrase: string,
): Promise<{ device: BrowserDevice; keys: DeviceKeys }> {
  const { role, anchor, ...identity } = await recoverIdentity(window.location.origin, code, passphrase);
  const base = {
    server: identity.serverUrl,
    tenantId: identity.clsmId,
    memberId: identity.memberId,
    role,
    anchor: toBase64(anchor),
  };
  return { device: await sealDevice(base, identity.keys, passphrase), keys: identity.keys };
}
