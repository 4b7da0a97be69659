import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DeviceKeys } from '../crypto/device-keys.js';
import {
  openDevice,
  sealDevice,
  type DeviceBase,
  type DeviceStore,
  type StoredDevice,
} from '../client/device-store.js';
import type { StoredHead } from '../client/directory.js';
import type { AccessToken } from '../client/client.js';
import { z } from 'zod';
import { CliError, EXIT } from './output.js';

// The CLI's profile: a directory (mode 0700) holding the member's identity, its secret keys
// encrypted under a passphrase with Argon2id, the CLSM's trust anchor and the directory log's head
// it verified last, and the current access token (mode 0600). Nothing in it is readable without the passphrase but the public parts. The
// profile file is the CLI's DeviceStore; the browser keeps the same record in IndexedDB.

export interface ProfileFile extends StoredDevice {
  format: 'clsm-profile/1';
}

const profileSchema = z.object({
  format: z.literal('clsm-profile/1'),
  server: z.url(),
  tenantId: z.uuid(),
  memberId: z.uuid(),
  role: z.string(),
  keyVersion: z.number().int().positive(),
  signPublicKey: z.base64(),
  boxPublicKey: z.base64(),
  secretKeys: z.object({
    v: z.literal(1),
    alg: z.literal('argon2id13+xchacha20poly1305'),
    opslimit: z.number().int(),
    memlimit: z.number().int(),
    salt: z.base64(),
    nonce: z.base64(),
    ciphertext: z.base64(),
  }),
  anchor: z.base64().optional(),
  directoryHead: z.object({ seq: z.number().int().min(0), hash: z.base64() }).optional(),
});

export function profileDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(explicit ?? env.CLSM_PROFILE ?? path.join(os.homedir(), '.config', 'clsm'));
}

export async function writePrivate(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await chmod(path.dirname(file), 0o700);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

/** The profile file as a DeviceStore: absent until the device enrolled. */
function profileStore(dir: string): DeviceStore {
  const file = path.join(dir, 'profile.json');
  return {
    load: async () => {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const parsed = profileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new CliError(`${file} is not a clsm profile`, EXIT.USAGE, 'BAD_PROFILE');
      return parsed.data;
    },
    save: (device) =>
      writePrivate(file, `${JSON.stringify({ format: 'clsm-profile/1', ...device }, null, 2)}\n`),
  };
}

export async function saveNewProfile(
  dir: string,
  base: DeviceBase,
  keys: DeviceKeys,
  passphrase: string,
): Promise<void> {
  await profileStore(dir).save(await sealDevice(base, keys, passphrase));
}

export async function loadProfile(dir: string): Promise<ProfileFile> {
  const profile = await profileStore(dir).load();
  if (profile === undefined)
    throw new CliError(
      `no profile in ${dir}`,
      EXIT.AUTH,
      'NO_PROFILE',
      'enroll first: clsm enroll --server URL --code CODE',
    );
  return { format: 'clsm-profile/1', ...profile };
}

export async function unlockKeys(profile: ProfileFile, passphrase: string): Promise<DeviceKeys> {
  try {
    return await openDevice(profile, passphrase);
  } catch (err) {
    throw new CliError(
      (err as Error).message,
      EXIT.AUTH,
      'PASSPHRASE',
      'check CLSM_PASSPHRASE or --passphrase-file',
    );
  }
}

/** Remembers the directory log's head this device verified (a later log must extend it). */
export async function saveDirectoryHead(
  dir: string,
  profile: ProfileFile,
  directoryHead: StoredHead | undefined,
): Promise<void> {
  if (directoryHead === undefined || directoryHead.hash === profile.directoryHead?.hash) return;
  await profileStore(dir).save({ ...profile, directoryHead });
}

export async function loadToken(dir: string): Promise<AccessToken | undefined> {
  try {
    const t = JSON.parse(await readFile(path.join(dir, 'session.json'), 'utf8')) as {
      value: string;
      expiresAt: string;
    };
    return { value: t.value, expiresAt: new Date(t.expiresAt) };
  } catch {
    return undefined;
  }
}

export async function saveToken(dir: string, token: AccessToken | undefined): Promise<void> {
  await writePrivate(
    path.join(dir, 'session.json'),
    token === undefined ? '{}\n' : `${JSON.stringify(token)}\n`,
  );
}
