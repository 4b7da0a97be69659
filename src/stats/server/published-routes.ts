import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../access/authorize.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../kernel/errors.js';
import { AUTHENTICATED, problems } from '../../http/responses.js';
import { uuid } from '../../http/schemas.js';
import { canonicalJson } from '../releases/canonical-json.js';
import { tableCsv } from './csv.js';
import { readRegionalRelease, readRelease, type StoredRelease } from './published.js';
import { readerOf } from './reader.js';
import { regionalSchema, regionalTableSchema } from '../vocabulary/regional-schema.js';
import { publishedTableSchema, releaseSchema, type PublishedTable } from '../vocabulary/release-schema.js';

// The statistics server's routes: released years only, whole calendar years only, the stored bytes
// of the release as they were frozen, the CLSMs' and the regional ones alike. There is nothing to
// filter: a query string is refused before any route runs (src/stats/app.ts).

const year = z
  .string()
  .regex(/^\d{4}$/, 'must be a calendar year, YYYY')
  .transform(Number);
const table = z.string().regex(/^[a-z_]{1,40}$/, 'must be a table id of the catalogue');
const ERRORS = [...AUTHENTICATED, 'NOT_FOUND', 'QUERY_NOT_ALLOWED', 'VALIDATION_FAILED'] as const;
export const HASH_HEADER = 'x-content-sha256';

export function registerPublishedRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/stats/:tenant/:year',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'The released bilan of a year, every table, exactly as frozen (its SHA-256 in x-content-sha256)',
        params: z.strictObject({ tenant: uuid, year }),
        response: { 200: releaseSchema, ...problems(...ERRORS) },
      },
    },
    async (request, reply) => {
      const stored = await releaseFor(ctx, request, request.params.tenant, request.params.year);
      return sendFrozen(reply, stored.content, stored.contentHash);
    },
  );

  r.get(
    '/v1/stats/:tenant/:year/:table',
    {
      schema: {
        tags: ['statistics'],
        summary: 'One table of a released bilan, as JSON or, with Accept: text/csv, as CSV',
        params: z.strictObject({ tenant: uuid, year, table }),
        response: { 200: publishedTableSchema, ...problems(...ERRORS) },
      },
    },
    async (request, reply) => {
      const stored = await releaseFor(ctx, request, request.params.tenant, request.params.year);
      const release = releaseSchema.parse(JSON.parse(stored.content));
      return sendTable(request, reply, findTable(release.tables, request.params.table));
    },
  );

  r.get(
    '/v1/stats/regional/:year',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'The latest regional release of a year, exactly as frozen: sums of the tables the CLSMs published (its SHA-256 in x-content-sha256)',
        params: z.strictObject({ year }),
        response: { 200: regionalSchema, ...problems(...ERRORS) },
      },
    },
    async (request, reply) => {
      const stored = await regionalFor(ctx, request, request.params.year);
      return sendFrozen(reply, stored.content, stored.contentHash);
    },
  );

  r.get(
    '/v1/stats/regional/:year/:table',
    {
      schema: {
        tags: ['statistics'],
        summary: 'One table of the regional aggregate, as JSON or, with Accept: text/csv, as CSV',
        params: z.strictObject({ year, table }),
        response: { 200: regionalTableSchema, ...problems(...ERRORS) },
      },
    },
    async (request, reply) => {
      const stored = await regionalFor(ctx, request, request.params.year);
      const aggregate = regionalSchema.parse(JSON.parse(stored.content));
      return sendTable(request, reply, findTable(aggregate.tables, request.params.table));
    },
  );
}

async function releaseFor(
  ctx: AppContext,
  request: FastifyRequest,
  clsmId: string,
  releaseYear: number,
): Promise<StoredRelease> {
  const caller = readerOf(request);
  authorize(ctx.policies, caller, { kind: 'clsm', action: 'stats.read' });
  // Another CLSM's bilan is not this member's to read, nor to learn about.
  const stored = clsmId === caller.clsmId ? await readRelease(ctx.dbs, clsmId, releaseYear) : undefined;
  if (stored === undefined) throw notFound(`released bilan of ${releaseYear}`);
  return stored;
}

async function regionalFor(ctx: AppContext, request: FastifyRequest, regionalYear: number) {
  authorize(ctx.policies, readerOf(request), { kind: 'clsm', action: 'stats.read_regional' });
  const stored = await readRegionalRelease(ctx.dbs, regionalYear);
  if (stored === undefined) throw notFound(`regional release of ${regionalYear}`);
  return stored;
}

function findTable<T extends PublishedTable>(tables: readonly T[], id: string): T {
  const found = tables.find((t) => t.id === id);
  if (found === undefined) throw notFound(`table ${id}`);
  return found;
}

/** Already-serialised JSON: sent as is, so that the bytes are those that were hashed. */
function sendFrozen(reply: FastifyReply, json: string, hash: string): FastifyReply {
  return reply.header(HASH_HEADER, hash).type('application/json; charset=utf-8').send(json);
}

function sendTable(request: FastifyRequest, reply: FastifyReply, published: PublishedTable): FastifyReply {
  void reply.header('vary', 'accept');
  if (prefersCsv(request.headers.accept)) {
    return reply.type('text/csv; charset=utf-8').send(tableCsv(published));
  }
  return reply.type('application/json; charset=utf-8').send(canonicalJson(published));
}

/** CSV when the client ranks text/csv at least as high as JSON; JSON otherwise, and by default. */
function prefersCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2)) || 0;
    if (type === 'text/csv') csv = Math.max(csv, q);
    else if (['application/json', 'application/*', '*/*'].includes(type)) json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}
