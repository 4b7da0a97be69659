import { readFile } from 'node:fs/promises';
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

// Public keys of the external identity provider, by key id. Hand-written rather than get-jwks:
// Node's createPublicKey reads RSA, EC and OKP (Ed25519) JWKs natively, and an unknown `kid`
// must not make every forged token trigger a fetch towards the provider (refresh is throttled).

const REFRESH_MIN_INTERVAL_MS = 30_000;
const KEYS_TTL_MS = 10 * 60_000;

export interface KeyStore {
  /** The PEM public key for this key id, or undefined if the provider does not publish it. */
  pemFor(kid: string): Promise<string | undefined>;
}

interface Jwks {
  keys?: (JsonWebKey & { kid?: string; use?: string })[];
}

function parseJwks(body: Jwks): Map<string, string> {
  const keys = new Map<string, string>();
  for (const jwk of body.keys ?? []) {
    if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      continue;
    }
    keys.set(jwk.kid, key.export({ type: 'spki', format: 'pem' }).toString());
  }
  return keys;
}

export async function staticKeyStore(file: string): Promise<KeyStore> {
  const keys = parseJwks(JSON.parse(await readFile(file, 'utf8')) as Jwks);
  if (keys.size === 0) throw new Error(`no usable signing key in ${file}`);
  return { pemFor: (kid) => Promise.resolve(keys.get(kid)) };
}

export function remoteKeyStore(url: string, fetchImpl: typeof fetch = fetch): KeyStore {
  let keys = new Map<string, string>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    inflight ??= (async () => {
      try {
        const response = await fetchImpl(url, { signal: AbortSignal.timeout(5_000) });
        if (response.ok) keys = parseJwks((await response.json()) as Jwks);
      } finally {
        // Failures also count: a provider outage must not turn into a fetch per request.
        fetchedAt = Date.now();
        inflight = undefined;
      }
    })();
    return inflight;
  };

  return {
    async pemFor(kid) {
      const age = Date.now() - fetchedAt;
      if (age > KEYS_TTL_MS || (!keys.has(kid) && age > REFRESH_MIN_INTERVAL_MS)) {
        await refresh().catch(() => undefined);
      }
      return keys.get(kid);
    },
  };
}
