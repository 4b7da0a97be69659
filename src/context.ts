import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { Secrets } from './config/secrets.js';
import type { Databases } from './db/database.js';
import type { Database } from './db/schema.js';
import { loadPolicyEngine, type PolicyEngine } from './access/policy-engine.js';
import { createTokenIssuer, keyIdOf, type TokenIssuer } from './auth/tokens.js';
import { remoteKeyStore, staticKeyStore, type KeyStore } from './auth/jwks.js';
import { loadCharterTexts, type CharterText } from './charter/texts.js';
import { rawPublicKey } from './util/server-ed25519.js';
import { systemClock, type Clock } from './util/clock.js';
import { POLICIES_DIR } from './util/paths.js';
import { fileWitness } from './audit/witness.js';
import type { AuditSigner } from './audit/signer.js';

/** Everything a request handler or a job may use, built once and passed explicitly. */
export interface AppContext {
  config: Config;
  logger: Logger;
  dbs: Databases;
  db: Kysely<Database>;
  /** Single reads outside any transaction, on read lanes (`Databases.reads`). */
  reads: Kysely<Database>;
  policies: PolicyEngine;
  charters: readonly CharterText[];
  /** Built-in authentication only. */
  tokens: TokenIssuer | undefined;
  /** OIDC authentication only. */
  oidcKeys: KeyStore | undefined;
  auditSigner: AuditSigner;
  clock: Clock;
}

export interface ContextOptions {
  config: Config;
  secrets: Secrets;
  logger: Logger;
  dbs: Databases;
  clock?: Clock;
  policiesDir?: string;
}

export async function createContext(options: ContextOptions): Promise<AppContext> {
  const { config, secrets } = options;
  const policiesDir = options.policiesDir ?? POLICIES_DIR;
  const auth = config.auth;
  return {
    config,
    logger: options.logger,
    dbs: options.dbs,
    db: options.dbs.db,
    reads: options.dbs.reads,
    policies: await loadPolicyEngine(policiesDir),
    charters: await loadCharterTexts(path.join(policiesDir, 'charter')),
    tokens: auth.mode === 'builtin' ? createTokenIssuer(auth, secrets.tokenSigningKey) : undefined,
    oidcKeys:
      auth.mode === 'oidc'
        ? auth.publicKeysFile !== undefined
          ? await staticKeyStore(auth.publicKeysFile)
          : remoteKeyStore(auth.jwksUrl ?? '')
        : undefined,
    auditSigner: {
      keyId: keyIdOf(secrets.auditSigningKey),
      publicKey: rawPublicKey(secrets.auditSigningKey),
      privateKey: secrets.auditSigningKey,
      witness: fileWitness(config.audit.witnessFile),
    },
    clock: options.clock ?? systemClock,
  };
}
