import type { DeviceKeys } from '../crypto/device-keys.js';
import { unwrapSecret, wrapSecret, type WrappedSecret } from '../crypto/key-backup.js';
import { loadSodium } from '../crypto/sodium.js';
import type { ClsmClient, Identity } from './client.js';
import { HttpClient } from './http.js';
import type { z } from 'zod';
import type { recoveredBackupSchema } from '../members/wire-schema.js';

// Backing up the device's secret keys to the server, wrapped under a passphrase on the device,
// and getting them back on a new device with a coordinator's recovery code.

const PURPOSE = 'clsm-key-backup';

/** A backup of the device's secret keys, wrapped on the device, ready to be stored by the server. */
export interface KeyBackup {
  keyVersion: number;
  blob: WrappedSecret;
}

/** Wraps the secret keys under the passphrase, bound to their owner (CLSM, member, key version). */
export async function wrapBackup(
  identity: Identity,
  passphrase: string,
  params?: { opslimit?: number; memlimit?: number },
): Promise<KeyBackup> {
  const { clsmId, memberId, keys } = identity;
  const secrets = new Uint8Array([...keys.signSecretKey, ...keys.boxSecretKey]);
  try {
    const owner = { clsmId, memberId, keyVersion: keys.version };
    return { keyVersion: keys.version, blob: await wrapSecret(secrets, passphrase, PURPOSE, params, owner) };
  } finally {
    secrets.fill(0);
  }
}

export async function uploadBackup(client: ClsmClient, backup: KeyBackup): Promise<void> {
  await client.request('PUT', '/v1/me/key-backup', backup);
}

export async function backupKeys(
  client: ClsmClient,
  passphrase: string,
  params?: { opslimit?: number; memlimit?: number },
): Promise<void> {
  await uploadBackup(client, await wrapBackup(client.identity, passphrase, params));
}

/**
 * Redeems the code and opens the backup. The backup is bound to the CLSM, member and key version
 * the server names with it: a backup handed to the wrong member, or across CLSMs, does not open.
 * Its Argon2id cost is checked against a floor and a ceiling before anything is derived. The public
 * keys are recomputed from the secret ones, never taken from the server: the first login then
 * proves they are the member's registered keys.
 */
export async function recoverIdentity(
  serverUrl: string,
  code: string,
  passphrase: string,
): Promise<Identity> {
  const http = new HttpClient(serverUrl);
  const res = await http.json<z.output<typeof recoveredBackupSchema>>('POST', '/v1/recover', {
    body: { code },
  });
  const secrets = await unwrapSecret(res.blob, passphrase, PURPOSE, {
    clsmId: res.tenantId,
    memberId: res.memberId,
    keyVersion: res.keyVersion,
  });
  const s = await loadSodium();
  const signSecretKey = secrets.slice(0, 64);
  const boxSecretKey = secrets.slice(64, 96);
  const keys: DeviceKeys = {
    version: res.keyVersion,
    signSecretKey,
    signPublicKey: s.crypto_sign_ed25519_sk_to_pk(signSecretKey),
    boxSecretKey,
    boxPublicKey: s.crypto_scalarmult_base(boxSecretKey),
  };
  return { serverUrl, clsmId: res.tenantId, memberId: res.memberId, keys };
}
