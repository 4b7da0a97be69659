import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/caller.js';
import { b64, bytes, compartmentParams, keyVersionSchema, uuid } from '../http/schemas.js';
import { ON_A_COMPARTMENT, problems } from '../http/responses.js';
import { pageQuery } from '../http/paging.js';
import { DIRECT_ENTRY_KINDS } from './schema.js';
import { readCompartment } from './read.js';
import { writeEntry } from './write.js';
import { compartmentPageSchema } from './wire-schema.js';

/** The largest ciphertext of one entry: 1 MB of content, with its authentication tag. */
const MAX_CIPHERTEXT = 1024 * 1024 + 16;

export function registerEntryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/v1/cases/:id/compartments/:compartment';

  r.post(
    `${base}/entries`,
    {
      schema: {
        tags: ['entries'],
        summary: 'Store an entry encrypted and signed on the client; the server verifies the signature first',
        params: compartmentParams,
        body: z.strictObject({
          id: uuid,
          keyVersion: keyVersionSchema,
          kind: z.enum(DIRECT_ENTRY_KINDS),
          refersTo: uuid.nullable().default(null),
          nonce: bytes({ length: 24 }),
          ciphertext: bytes({ max: MAX_CIPHERTEXT }),
          signature: bytes({ length: 64 }),
        }),
        response: {
          201: z.object({ id: uuid, createdAt: z.iso.datetime() }),
          ...problems(
            ...ON_A_COMPARTMENT,
            'BAD_SIGNATURE',
            'ROTATION_REQUIRED',
            'KEY_VERSION_MISMATCH',
            'CONFLICT',
          ),
        },
      },
    },
    async (request, reply) => {
      const { id, compartment } = request.params;
      const written = await writeEntry(ctx, callerOf(request), id, compartment, request.body);
      return reply.code(201).send({ id: request.body.id, createdAt: written.createdAt.toISOString() });
    },
  );

  r.get(
    `${base}/entries`,
    {
      schema: {
        tags: ['entries'],
        summary:
          'Read a compartment a page at a time: its entries (ciphertext), oldest first, and your own wrapped keys to them',
        params: compartmentParams,
        querystring: z.strictObject(pageQuery),
        response: {
          200: compartmentPageSchema,
          ...problems(...ON_A_COMPARTMENT),
        },
      },
    },
    async (request) => {
      const { id, compartment } = request.params;
      const c = await readCompartment(ctx, callerOf(request), id, compartment, request.query);
      return {
        keyVersion: c.keyVersion,
        rotationRequired: c.rotationRequired,
        entries: c.entries.map((e) => ({
          id: e.id,
          keyVersion: e.key_version,
          authorId: e.author_id,
          kind: e.kind,
          refersTo: e.refers_to,
          nonce: b64(e.nonce),
          ciphertext: b64(e.ciphertext),
          signature: b64(e.signature),
          createdAt: e.created_at.toISOString(),
        })),
        nextCursor: c.nextCursor,
        grants: c.grants.map((g) => ({
          keyVersion: g.keyVersion,
          granterId: g.granterId,
          granteeKeyVersion: g.granteeKeyVersion,
          sealedKey: b64(g.sealedKey),
          signature: b64(g.signature),
        })),
      };
    },
  );
}
