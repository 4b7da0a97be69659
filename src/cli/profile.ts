import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DeviceKeys } from '../crypto/device-keys.js';
import { unwrapSecret, wrapSecret, type WrappedSecret } from '../crypto/key-backup.js';
import type { PinnedKeys } from '../client/pins.js';
import type { AccessToken } from '../client/client.js';
import { z } from 'zod';
import { CliError, EXIT } from './output.js';

// The CLI's profile: a directory (mode 0700) holding the member's identity, its secret keys
// encrypted under a passphrase with Argon2id, the pinned keys of colleagues, and the current access
// token (mode 0600). Nothing in it is readable without the passphrase but the public parts.

export interface ProfileFile {
  format: 'clsm-profile/1';
  server: string;
  tenantId: string;
  memberId: string;
  role: string;
  keyVersion: number;
  signPublicKey: string;
  boxPublicKey: string;
  secretKeys: WrappedSecret;
  pins: Record<string, PinnedKeys>;
}

const pinSchema = z.object({
  version: z.number().int(),
  signPublicKey: z.base64(),
  boxPublicKey: z.base64(),
});
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
  pins: z.record(z.uuid(), pinSchema),
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

const SECRET_PURPOSE = 'clsm-profile-secret-keys';

export async function saveNewProfile(
  dir: string,
  base: Omit<ProfileFile, 'format' | 'secretKeys' | 'pins' | 'keyVersion' | 'signPublicKey' | 'boxPublicKey'>,
  keys: DeviceKeys,
  passphrase: string,
): Promise<void> {
  const secrets = Buffer.concat([Buffer.from(keys.signSecretKey), Buffer.from(keys.boxSecretKey)]);
  const profile: ProfileFile = {
    format: 'clsm-profile/1',
    ...base,
    keyVersion: keys.version,
    signPublicKey: Buffer.from(keys.signPublicKey).toString('base64'),
    boxPublicKey: Buffer.from(keys.boxPublicKey).toString('base64'),
    secretKeys: await wrapSecret(secrets, passphrase, SECRET_PURPOSE),
    pins: {},
  };
  secrets.fill(0);
  await writePrivate(path.join(dir, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
}

export async function loadProfile(dir: string): Promise<ProfileFile> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'profile.json'), 'utf8');
  } catch {
    throw new CliError(
      `no profile in ${dir}`,
      EXIT.AUTH,
      'NO_PROFILE',
      'enroll first: clsm enroll --server URL --code CODE',
    );
  }
  const parsed = profileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new CliError(`${dir}/profile.json is not a clsm profile`, EXIT.USAGE, 'BAD_PROFILE');
  return parsed.data;
}

export async function unlockKeys(profile: ProfileFile, passphrase: string): Promise<DeviceKeys> {
  let secrets: Uint8Array;
  try {
    secrets = await unwrapSecret(profile.secretKeys, passphrase, SECRET_PURPOSE);
  } catch (err) {
    throw new CliError(
      (err as Error).message,
      EXIT.AUTH,
      'PASSPHRASE',
      'check CLSM_PASSPHRASE or --passphrase-file',
    );
  }
  return {
    version: profile.keyVersion,
    signPublicKey: new Uint8Array(Buffer.from(profile.signPublicKey, 'base64')),
    boxPublicKey: new Uint8Array(Buffer.from(profile.boxPublicKey, 'base64')),
    signSecretKey: secrets.slice(0, 64),
    boxSecretKey: secrets.slice(64, 96),
  };
}

export async function savePins(
  dir: string,
  profile: ProfileFile,
  pins: Record<string, PinnedKeys>,
): Promise<void> {
  await writePrivate(path.join(dir, 'profile.json'), `${JSON.stringify({ ...profile, pins }, null, 2)}\n`);
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
