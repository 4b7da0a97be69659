import type { FastifyRequest } from 'fastify';
import type { Role } from '../kernel/roles.js';
import type { Caller } from '../access/authorize.js';
import { AppError } from '../kernel/errors.js';

// Who is behind a request, once src/auth/authenticate.ts has verified the token and read the
// principal from the database; route handlers read it from here.

/** The authenticated member behind a request, re-read from the database on every request. */
export interface Principal {
  clsmId: string;
  memberId: string;
  role: Role;
  organisation: string;
  /** Has accepted the charte éthique version currently published by the CLSM. */
  charterAccepted: boolean;
  /** Built-in sessions: the session to revoke on logout. */
  sessionId: string | undefined;
  /** OIDC tokens: the hash recorded on logout. */
  tokenHash: Buffer | undefined;
  tokenExpiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes are authenticated unless they say otherwise. */
    public?: boolean;
  }
}

/** The caller of an authenticated route, as the access gate and the audit log see them. */
export function callerOf(request: FastifyRequest): Caller {
  const p = principalOf(request);
  return {
    clsmId: p.clsmId,
    memberId: p.memberId,
    role: p.role,
    charterAccepted: p.charterAccepted,
    requestId: request.id,
  };
}

export function principalOf(request: FastifyRequest): Principal {
  const p = request.principal;
  if (p === null) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return p;
}
