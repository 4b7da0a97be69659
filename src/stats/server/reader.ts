import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Caller } from '../../access/authorize.js';
import { registerBearerAuthentication, type VerifiedToken } from '../../auth/authenticate.js';
import type { Refusal } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import type { Databases } from '../../db/database.js';
import { AppError } from '../../kernel/errors.js';
import type { Role } from '../../kernel/roles.js';

// Who calls the statistics server: the same bearer tokens as the API, verified the same way, but
// the member is looked up through two SECURITY DEFINER functions of the `stats` schema, since the
// statistics role may not read members or sessions (docs/adr/0009). Looked up on every request, so
// a suspension or a logout applies at once here too.

export interface StatsReader {
  clsmId: string;
  memberId: string;
  role: Role;
  charterAccepted: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    statsReader: StatsReader | null;
  }
}

export async function registerStatsAuthentication(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.decorateRequest('statsReader', null);
  await registerBearerAuthentication(
    app,
    ctx,
    (token) => lookupReader(ctx.dbs, token),
    (request, reader) => {
      request.statsReader = reader;
    },
  );
}

interface PrincipalRow {
  clsm_id: string;
  member_id: string;
  role: Role;
  charter_accepted: boolean;
}

async function lookupReader(dbs: Databases, token: VerifiedToken): Promise<StatsReader | Refusal> {
  const row = await dbs.withStatsRole(async (trx) => {
    const result =
      token.kind === 'session'
        ? await sql<PrincipalRow>`select ${token.clsmId}::uuid as clsm_id, ${token.memberId}::uuid as member_id,
            role, charter_accepted
            from stats.session_principal(${token.clsmId}, ${token.memberId}, ${token.sessionId})`.execute(trx)
        : await sql<PrincipalRow>`select clsm_id, member_id, role, charter_accepted
            from stats.oidc_principal(${token.subject}, ${token.tokenHash})`.execute(trx);
    return result.rows[0];
  });
  if (row === undefined) return 'PRINCIPAL_INVALID';
  return {
    clsmId: row.clsm_id,
    memberId: row.member_id,
    role: row.role,
    charterAccepted: row.charter_accepted,
  };
}

/** The caller of an authenticated statistics route, as the access gate sees them. */
export function readerOf(request: FastifyRequest): Caller {
  const reader = request.statsReader;
  if (reader === null) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return { ...reader, requestId: request.id };
}
