import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import type { Config } from '../config/config.js';

// Built-in authentication issues short-lived EdDSA tokens naming the member, CLSM and session.
// Revocation is not in the token: the session row is checked on every request.

export interface AccessTokenClaims {
  clsmId: string;
  memberId: string;
  sessionId: string;
}

export interface TokenIssuer {
  readonly keyId: string;
  readonly publicPem: string;
  readonly ttlSeconds: number;
  issue(claims: AccessTokenClaims): { token: string; expiresAt: Date };
}

/** A short, stable identifier of a public key: its SHA-256 over the SPKI encoding, base64url, 16 chars. */
export function keyIdOf(key: KeyObject): string {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64url').slice(0, 16);
}

export function createTokenIssuer(
  auth: Extract<Config['auth'], { mode: 'builtin' }>,
  signingKey: KeyObject,
): TokenIssuer {
  const keyId = keyIdOf(signingKey);
  const sign = createSigner({
    key: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    algorithm: 'EdDSA',
    iss: auth.issuer,
    aud: auth.audience,
    kid: keyId,
    expiresIn: auth.tokenTtlSeconds * 1000,
  });
  return {
    keyId,
    publicPem: createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString(),
    ttlSeconds: auth.tokenTtlSeconds,
    issue(claims) {
      const iat = Math.floor(Date.now() / 1000);
      const token = sign({ sub: claims.memberId, tid: claims.clsmId, sid: claims.sessionId, iat });
      return { token, expiresAt: new Date((iat + auth.tokenTtlSeconds) * 1000) };
    },
  };
}
