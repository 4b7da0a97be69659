import type { FastifyInstance } from 'fastify';

// Routes added to the real API for the benchmark only, behind the very same plugins and hooks:
// they answer at once, so what they cost is the stack in front of them. Comparing them isolates
// the price of authentication.

export function registerProbeRoutes(app: FastifyInstance): void {
  // Everything but authentication: security headers, rate limit, request id, problem handler.
  app.get('/bench/public', { config: { public: true } }, () => ({ ok: true }));
  // The token's signature and claims only (fast-jwt, with its cache of verified signatures).
  app.get('/bench/token', { config: { public: true } }, async (request) => {
    await request.jwtVerify();
    return { ok: true };
  });
  // Full authentication, as every API route has it: the token, then the session and member re-read
  // from the database (the revocation check, never cached).
  app.get('/bench/authenticated', () => ({ ok: true }));
}
