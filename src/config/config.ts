import { DEFAULT_EXCEPTION_HOURS } from '../kernel/exception-hours.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../util/paths.js';
import { ConfigError, type Env } from './env.js';

// Step 2 of 3: typed configuration with defaults. Everything here may be logged;
// anything secret (database URLs with passwords, key material) lives in secrets.ts.

/** The API's read lanes on PostgreSQL (docs/adr/0043). */
export const DEFAULT_READ_LANES = 2;

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; poolSize: number; readLanes: number; migrateAtStart: boolean };

export type AuthConfig =
  | { mode: 'builtin'; tokenTtlSeconds: number; issuer: string; audience: string }
  | {
      mode: 'oidc';
      issuer: string;
      audience: string;
      jwksUrl: string | undefined;
      publicKeysFile: string | undefined;
      algorithms: readonly OidcAlgorithm[];
      maxTokenAgeSeconds: number;
      tokenTypes: readonly string[];
    };

export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

export interface Config {
  host: string;
  port: number;
  statsPort: number;
  dataDir: string;
  database: DatabaseConfig;
  logLevel: string;
  http: {
    trustProxy: boolean;
    corsOrigins: readonly string[];
    bodyLimitBytes: number;
    /** The byte budget of one page of a list (a page always holds at least one item). */
    pageMaxBytes: number;
    rateLimitMax: number;
    authRateLimitMax: number;
    docsEnabled: boolean;
    /** The built web app (web/dist); served under / when it holds an index.html. */
    webRoot: string;
    /** The statistics server as browsers reach it: the web app reads the bilan there (docs/adr/0024). */
    statsPublicUrl: string;
  };
  auth: AuthConfig;
  /** `witnessFile`: where every signed checkpoint is appended, outside the database. */
  audit: { checkpointIntervalSeconds: number; witnessFile: string };
  /** Days a closed (or declined) case is kept before it is crypto-shredded. */
  retention: { days: number; purgeIntervalSeconds: number };
  /** Default time box of a legal exception to consent. */
  exceptionDefaultHours: number;
  /**
   * A release waits for a second person when at least `approvalThreshold` situations had their
   * categories declared or changed in the `approvalWindowDays` before it (0: always).
   */
  statistics: { approvalWindowDays: number; approvalThreshold: number };
  keyFiles: { tokenSigning: string; auditSigning: string };
  /** Whether missing key files may be generated (embedded mode only: several replicas must share keys). */
  generateMissingKeys: boolean;
  bootstrapClsmName: string;
  /** Where the first coordinator's enrollment code is written (mode 0600): never to the logs. */
  bootstrapCodeFile: string;
}

export function buildConfig(env: Env): Config {
  const embedded = env.DATABASE_URL === undefined;
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  if (!embedded && env.STATS_DATABASE_URL === undefined) {
    throw new ConfigError(
      'STATS_DATABASE_URL is required when DATABASE_URL is set: the statistics server connects with its own read-only role (see docs/operations.md)',
    );
  }
  const keyFile = (value: string | undefined, name: string, variable: string): string => {
    if (value !== undefined) return path.resolve(value);
    if (embedded) return path.join(dataDir, 'secrets', name);
    throw new ConfigError(
      `${variable} is required when DATABASE_URL is set (generate one with: clsm admin keygen FILE)`,
    );
  };
  const host = env.HOST ?? '127.0.0.1';
  const statsPort = env.STATS_PORT ?? 3001;
  return {
    host,
    port: env.PORT ?? 3000,
    statsPort,
    dataDir,
    database: embedded
      ? { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }
      : {
          kind: 'postgres',
          poolSize: env.DATABASE_POOL_SIZE ?? 10,
          readLanes: env.DATABASE_READ_LANES ?? DEFAULT_READ_LANES,
          migrateAtStart: env.MIGRATE_DATABASE_URL !== undefined,
        },
    logLevel: env.LOG_LEVEL ?? 'info',
    http: {
      trustProxy: env.TRUST_PROXY ?? false,
      corsOrigins: env.CORS_ORIGINS ?? [],
      bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024,
      pageMaxBytes: env.PAGE_MAX_BYTES ?? 4 * 1024 * 1024,
      rateLimitMax: env.RATE_LIMIT_MAX ?? 600,
      authRateLimitMax: env.AUTH_RATE_LIMIT_MAX ?? 20,
      docsEnabled: env.DOCS_ENABLED ?? embedded,
      webRoot: path.resolve(env.WEB_ROOT ?? path.join(PROJECT_ROOT, 'web', 'dist')),
      statsPublicUrl: env.STATS_PUBLIC_URL ?? `http://${host}:${statsPort}`,
    },
    auth: buildAuthConfig(env),
    audit: {
      checkpointIntervalSeconds: env.AUDIT_CHECKPOINT_INTERVAL_SECONDS ?? 3600,
      witnessFile: path.resolve(env.AUDIT_WITNESS_FILE ?? path.join(dataDir, 'audit-witness.jsonl')),
    },
    // Two years after closure: the CNIL référentiel for the social and medico-social sector keeps
    // a file for the duration of the support, then two years (docs/operations.md, Retention).
    retention: { days: env.RETENTION_DAYS ?? 730, purgeIntervalSeconds: env.PURGE_INTERVAL_SECONDS ?? 3600 },
    exceptionDefaultHours: env.EXCEPTION_DEFAULT_HOURS ?? DEFAULT_EXCEPTION_HOURS,
    // Planting fakes around a person takes about as many as the smallest published population
    // (11); ten described in a month is also above what most cellules refer (docs/statistics.md).
    statistics: {
      approvalWindowDays: env.STATS_APPROVAL_WINDOW_DAYS ?? 30,
      approvalThreshold: env.STATS_APPROVAL_THRESHOLD ?? 10,
    },
    keyFiles: {
      tokenSigning: keyFile(env.TOKEN_SIGNING_KEY_FILE, 'token-signing.pem', 'TOKEN_SIGNING_KEY_FILE'),
      auditSigning: keyFile(env.AUDIT_SIGNING_KEY_FILE, 'audit-signing.pem', 'AUDIT_SIGNING_KEY_FILE'),
    },
    generateMissingKeys: embedded,
    bootstrapClsmName: env.BOOTSTRAP_TENANT_NAME ?? 'CLSM',
    bootstrapCodeFile: path.resolve(
      env.BOOTSTRAP_CODE_FILE ?? path.join(dataDir, 'first-coordinator-code.txt'),
    ),
  };
}

function buildAuthConfig(env: Env): AuthConfig {
  if ((env.AUTH_MODE ?? 'builtin') === 'builtin') {
    return {
      mode: 'builtin',
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS ?? 900,
      issuer: env.TOKEN_ISSUER ?? 'clsm',
      audience: env.TOKEN_AUDIENCE ?? 'clsm-api',
    };
  }
  if (env.OIDC_ISSUER === undefined || env.OIDC_AUDIENCE === undefined) {
    throw new ConfigError('AUTH_MODE=oidc requires OIDC_ISSUER and OIDC_AUDIENCE');
  }
  if ((env.OIDC_JWKS_URL === undefined) === (env.OIDC_PUBLIC_KEYS_FILE === undefined)) {
    throw new ConfigError('AUTH_MODE=oidc requires exactly one of OIDC_JWKS_URL and OIDC_PUBLIC_KEYS_FILE');
  }
  const algorithms = env.OIDC_ALGORITHMS ?? ['RS256', 'ES256', 'EdDSA'];
  const unknown = algorithms.filter((a) => !(OIDC_ALGORITHMS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    // HS* is refused on purpose: a shared secret would let any holder of the IdP's public key forge tokens.
    throw new ConfigError(
      `OIDC_ALGORITHMS has unsupported values: ${unknown.join(', ')} (allowed: ${OIDC_ALGORITHMS.join(', ')})`,
    );
  }
  return {
    mode: 'oidc',
    issuer: env.OIDC_ISSUER,
    audience: env.OIDC_AUDIENCE,
    jwksUrl: env.OIDC_JWKS_URL,
    publicKeysFile: env.OIDC_PUBLIC_KEYS_FILE,
    algorithms: algorithms as OidcAlgorithm[],
    maxTokenAgeSeconds: env.OIDC_MAX_TOKEN_AGE_SECONDS ?? 3600,
    tokenTypes: env.OIDC_TOKEN_TYPES ?? ['jwt', 'at+jwt'],
  };
}
