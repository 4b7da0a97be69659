import type { z } from 'zod';
import {
  generateDeviceKeys,
  publicDeviceKeys,
  signDetached,
  type DeviceKeys,
} from '../crypto/device-keys.js';
import { toBase64 } from '../crypto/encoding.js';
import {
  deriveBackupKeys,
  openBackup,
  wipeBackupKeys,
  wrapBackup as wrapBackupSecret,
  type BackupOwner,
  type WrappedBackup,
} from '../crypto/key-backup.js';
import { keyContinuityMessage } from '../crypto/messages.js';
import { loadSodium } from '../crypto/sodium.js';
import type { recoveredBackupSchema, recoveryOpenedSchema } from '../members/wire-schema.js';
import type { ClsmClient, Identity } from './client.js';
import { HttpClient } from './http.js';

// Backing up the device's secret keys to the server, wrapped under a passphrase on the device,
// and replacing the device: a coordinator's recovery code and the passphrase open the backup on a
// new device, which then makes new keys and registers them (docs/crypto-protocol.md, "Recovery").

const PURPOSE = 'clsm-key-backup';

/** A backup of the device's secret keys, wrapped on the device, ready to be stored by the server. */
export interface KeyBackup {
  keyVersion: number;
  blob: WrappedBackup;
  /** SHA-256 of the authentication key derived with the wrapping key (base64). */
  verifier: string;
}

/** The trust anchor's length in a backup: 16 bytes of the root's fingerprint digest. */
const ANCHOR_BYTES = 16;

/** A backup made before backups carried the trust anchor: it cannot say which root to trust. */
export class BackupWithoutAnchorError extends Error {
  override name = 'BackupWithoutAnchorError';
  constructor() {
    super(
      'this backup holds no trust anchor: store a new one from a device that has the keys, or enrol again',
    );
  }
}

/**
 * Wraps the secret keys and the CLSM's trust anchor under the passphrase, bound to their owner
 * (CLSM, member, key version): a recovered device verifies the directory from the same root as the
 * lost one, not from one the server names.
 */
export async function wrapBackup(
  identity: Identity,
  anchor: Uint8Array,
  passphrase: string,
  params?: { opslimit?: number; memlimit?: number },
): Promise<KeyBackup> {
  const { clsmId, memberId, keys } = identity;
  return wrapKeys(keys, anchor, { clsmId, memberId, keyVersion: keys.version }, passphrase, params);
}

async function wrapKeys(
  keys: DeviceKeys,
  anchor: Uint8Array,
  owner: BackupOwner,
  passphrase: string,
  params?: { opslimit?: number; memlimit?: number },
): Promise<KeyBackup> {
  if (anchor.length !== ANCHOR_BYTES) throw new Error(`a trust anchor is ${ANCHOR_BYTES} bytes`);
  const secrets = new Uint8Array([...keys.signSecretKey, ...keys.boxSecretKey, ...anchor]);
  try {
    const { blob, verifier } = await wrapBackupSecret(secrets, passphrase, PURPOSE, owner, params);
    return { keyVersion: keys.version, blob, verifier: toBase64(verifier) };
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
  const anchor = await client.directory.rootAnchor();
  await uploadBackup(client, await wrapBackup(client.identity, anchor, passphrase, params));
}

/**
 * Replaces a lost device. The code gives the backup's Argon2id parameters (checked against a floor
 * and a ceiling before anything is derived); one Argon2id run gives the wrapping key and the
 * authentication key, which alone makes the server release the blob. The backup is bound to the
 * CLSM, member and key version the server names: a backup handed to the wrong member, or across
 * CLSMs, does not open. The old keys then sign new ones (version + 1), which are registered with a
 * backup of them under the same passphrase and parameters; the old keys are wiped. The new keys get
 * no compartment key here: colleagues re-grant to them once a coordinator certified them. The role
 * is the one the code was issued for (a suspended member cannot log in to ask); the trust anchor is
 * the one the backup holds.
 */
export async function recoverIdentity(
  serverUrl: string,
  code: string,
  passphrase: string,
): Promise<Identity & { role: string; anchor: Uint8Array }> {
  const http = new HttpClient(serverUrl);
  const opened = await http.json<z.output<typeof recoveryOpenedSchema>>('POST', '/v1/recover', {
    body: { code },
  });
  const derived = await deriveBackupKeys(passphrase, opened.kdf);
  const proof = toBase64(derived.authKey);
  let old: (DeviceKeys & { anchor: Uint8Array }) | undefined;
  try {
    const released = await http.json<z.output<typeof recoveredBackupSchema>>('POST', '/v1/recover/backup', {
      body: { code, proof },
    });
    const owner = { clsmId: released.tenantId, memberId: released.memberId, keyVersion: released.keyVersion };
    old = await keysOf(
      await openBackup(released.blob, opened.kdf, derived.wrapKey, PURPOSE, owner),
      owner.keyVersion,
    );
    const member = { clsmId: owner.clsmId, memberId: owner.memberId };
    const keys = await generateDeviceKeys(owner.keyVersion + 1);
    const signed = await publicDeviceKeys(keys, member);
    const continuity = await signDetached(
      keyContinuityMessage(member, old.version, keys.signPublicKey, keys.boxPublicKey, keys.version),
      old.signSecretKey,
    );
    const { opslimit, memlimit } = opened.kdf;
    const backup = await wrapKeys(keys, old.anchor, { ...member, keyVersion: keys.version }, passphrase, {
      opslimit,
      memlimit,
    });
    await http.json('POST', '/v1/recover/keys', {
      body: {
        code,
        proof,
        keys: {
          version: keys.version,
          signPublicKey: toBase64(signed.signPublicKey),
          boxPublicKey: toBase64(signed.boxPublicKey),
          selfSignature: toBase64(signed.selfSignature),
        },
        continuitySignature: toBase64(continuity),
        backup: { blob: backup.blob, verifier: backup.verifier },
      },
    });
    return { serverUrl, ...member, keys, role: opened.role, anchor: old.anchor };
  } finally {
    wipeBackupKeys(derived);
    old?.signSecretKey.fill(0);
    old?.boxSecretKey.fill(0);
  }
}

/** The public keys are recomputed from the secret ones, never taken from the server. */
async function keysOf(secrets: Uint8Array, version: number): Promise<DeviceKeys & { anchor: Uint8Array }> {
  if (secrets.length !== 96 + ANCHOR_BYTES) {
    secrets.fill(0);
    throw new BackupWithoutAnchorError();
  }
  const s = await loadSodium();
  const signSecretKey = secrets.slice(0, 64);
  const boxSecretKey = secrets.slice(64, 96);
  const anchor = secrets.slice(96);
  secrets.fill(0);
  return {
    anchor,
    version,
    signSecretKey,
    signPublicKey: s.crypto_sign_ed25519_sk_to_pk(signSecretKey),
    boxSecretKey,
    boxPublicKey: s.crypto_scalarmult_base(boxSecretKey),
  };
}
