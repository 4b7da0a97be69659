import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Config } from './config.js';
import { ConfigError, type Env } from './env.js';

// Step 3 of 3: secrets, kept apart from Config so that they can never be logged with it.
// KeyObject prints as `PrivateKeyObject { asymmetricKeyType: 'ed25519' }` and serialises to `{}`.

export interface Secrets {
  databaseUrl: string | undefined;
  statsDatabaseUrl: string | undefined;
  migrateDatabaseUrl: string | undefined;
  /** Signs the short-lived access tokens of built-in authentication. */
  tokenSigningKey: KeyObject;
  /** Signs audit checkpoints. A separate key: compromising one purpose must not forge the other. */
  auditSigningKey: KeyObject;
}

export async function loadSecrets(env: Env, config: Config): Promise<Secrets> {
  return {
    databaseUrl: env.DATABASE_URL,
    statsDatabaseUrl: env.STATS_DATABASE_URL,
    migrateDatabaseUrl: env.MIGRATE_DATABASE_URL,
    tokenSigningKey: await loadEd25519Key(config.keyFiles.tokenSigning, config.generateMissingKeys),
    auditSigningKey: await loadEd25519Key(config.keyFiles.auditSigning, config.generateMissingKeys),
  };
}

/** Reads a PKCS#8 PEM Ed25519 private key (as written by `openssl genpkey -algorithm ed25519`). */
export async function loadEd25519Key(file: string, generateIfMissing: boolean): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!generateIfMissing)
      throw new ConfigError(`key file not found: ${file} (create it with: npx clsm admin keygen ${file})`);
    pem = await writeNewEd25519Key(file);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`key file is not a PEM private key: ${file}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      `key file must hold an Ed25519 key, found ${key.asymmetricKeyType ?? 'unknown'}: ${file}`,
    );
  }
  return key;
}

export async function writeNewEd25519Key(file: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite a key that appeared meanwhile (two processes starting together).
  try {
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFile(file, 'utf8');
}
