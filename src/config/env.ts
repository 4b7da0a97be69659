import { z } from 'zod';

// Step 1 of 3: the raw environment, validated as strings. Nothing here has a default;
// defaults belong to config.ts so that the environment stays a faithful picture of what was set.

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const countInt = z.coerce.number().int().min(0);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');
const csv = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()))
  .pipe(z.array(z.string().min(1)));

const envSchema = z.object({
  HOST: z.string().min(1).optional(),
  PORT: port.optional(),
  STATS_PORT: port.optional(),
  STATS_PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  STATS_DATABASE_URL: postgresUrl.optional(),
  MIGRATE_DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: positiveInt.optional(),
  DATABASE_READ_LANES: countInt.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  TRUST_PROXY: bool.optional(),
  CORS_ORIGINS: csv.optional(),
  BODY_LIMIT_BYTES: positiveInt.optional(),
  PAGE_MAX_BYTES: positiveInt.optional(),
  RATE_LIMIT_MAX: positiveInt.optional(),
  AUTH_RATE_LIMIT_MAX: positiveInt.optional(),
  DOCS_ENABLED: bool.optional(),
  WEB_ROOT: z.string().min(1).optional(),
  AUTH_MODE: z.enum(['builtin', 'oidc']).optional(),
  TOKEN_TTL_SECONDS: positiveInt.optional(),
  TOKEN_ISSUER: z.string().min(1).optional(),
  TOKEN_AUDIENCE: z.string().min(1).optional(),
  TOKEN_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: positiveInt.optional(),
  AUDIT_WITNESS_FILE: z.string().min(1).optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_PUBLIC_KEYS_FILE: z.string().min(1).optional(),
  OIDC_ALGORITHMS: csv.optional(),
  OIDC_MAX_TOKEN_AGE_SECONDS: positiveInt.optional(),
  OIDC_TOKEN_TYPES: csv.optional(),
  RETENTION_DAYS: positiveInt.optional(),
  PURGE_INTERVAL_SECONDS: positiveInt.optional(),
  EXCEPTION_DEFAULT_HOURS: positiveInt.optional(),
  STATS_APPROVAL_WINDOW_DAYS: positiveInt.optional(),
  STATS_APPROVAL_THRESHOLD: z.coerce.number().int().min(0).optional(),
  BOOTSTRAP_TENANT_NAME: z.string().min(1).max(120).optional(),
  BOOTSTRAP_CODE_FILE: z.string().min(1).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once. Unknown variables are ignored; a malformed one stops start-up. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings mean "unset": docker env files and shells produce them routinely.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
  }
  return parsed.data;
}
