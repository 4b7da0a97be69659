import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { bytes, keyVersionSchema, printable, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { authorize } from '../access/authorize.js';
import { DIRECTORY_KINDS } from '../crypto/directory-statements.js';
import { toBase64 } from '../crypto/encoding.js';
import { directoryPageSchema, statementToWire } from './wire-schema.js';
import { readDirectory } from './log.js';
import { signDirectoryStatement } from './sign.js';

const PAGE_MAX = 500;
// Signed as typed, so not trimmed; printable only, as every text a route takes (humanText).
const nullableText = z
  .string()
  .min(1)
  .max(120)
  .refine(printable, { message: 'must not contain control characters' })
  .nullable();

export function registerDirectoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/directory',
    {
      schema: {
        tags: ['directory'],
        summary:
          "The CLSM's directory log, oldest first: the signed statements that certify members, their keys and roles",
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(PAGE_MAX),
        }),
        response: { 200: directoryPageSchema, ...problems(...AUTHENTICATED) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      authorize(ctx.policies, caller, { kind: 'clsm', action: 'directory.read' });
      const { after, limit } = request.query;
      const rows = await readDirectory(ctx.db, caller.clsmId, { after, limit: limit + 1 });
      const entries = rows.slice(0, limit);
      return {
        entries: entries.map(statementToWire),
        nextAfter: rows.length > limit ? (entries.at(-1)?.seq ?? null) : null,
      };
    },
  );

  r.post(
    '/v1/directory',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Append a statement signed by a coordinator to the directory log (the root, a certificate, a role change, a suspension, a reinstatement, new device keys)',
        body: z.strictObject({
          seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          prevHash: bytes({ length: 32 }).nullable(),
          kind: z.enum(DIRECTORY_KINDS),
          subjectId: uuid,
          role: nullableText,
          organisation: nullableText,
          displayName: nullableText,
          signPublicKey: bytes({ length: 32 }).nullable(),
          boxPublicKey: bytes({ length: 32 }).nullable(),
          keyVersion: keyVersionSchema.nullable(),
          signature: bytes({ length: 64 }),
        }),
        response: {
          201: z.object({ seq: z.number().int(), hash: z.string() }),
          ...problems(...AUTHENTICATED, 'BAD_SIGNATURE', 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const posted = await signDirectoryStatement(ctx.db, ctx.policies, callerOf(request), request.body);
      return reply.code(201).send({ seq: posted.seq, hash: toBase64(posted.hash) });
    },
  );
}
