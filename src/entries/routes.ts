import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { callerOf } from '../auth/principal.js';
import { b64, bytes, keyVersionSchema, uuid } from '../http/schemas.js';
import { AUTHENTICATED, problems } from '../http/responses.js';
import { nextCursorSchema, pageQuery } from '../http/paging.js';
import { DIRECT_ENTRY_KINDS, ENTRY_KINDS } from '../cases/schema.js';
import { giveGrant } from '../keys/grants.js';
import { rotateKey } from '../keys/rotation.js';
import { readCompartment } from './read.js';
import { writeEntry } from './write.js';

const params = z.strictObject({ id: uuid, compartment: z.enum(COMPARTMENTS) });
const ERRORS = [...AUTHENTICATED, 'NOT_FOUND', 'CASE_PURGED', 'CONSENT_REQUIRED'] as const;
/** The largest ciphertext of one entry: 1 MB of content, with its authentication tag. */
const MAX_CIPHERTEXT = 1024 * 1024 + 16;

const grantInput = z.strictObject({
  granteeId: uuid,
  granteeKeyVersion: keyVersionSchema,
  sealedKey: bytes({ length: 80 }),
  signature: bytes({ length: 64 }),
});

const entryOut = z.object({
  id: uuid,
  keyVersion: z.number().int(),
  authorId: uuid,
  kind: z.enum(ENTRY_KINDS),
  refersTo: uuid.nullable(),
  nonce: z.string(),
  ciphertext: z.string(),
  signature: z.string(),
  createdAt: z.iso.datetime(),
});

const grantOut = z.object({
  keyVersion: z.number().int(),
  granterId: uuid,
  granteeKeyVersion: z.number().int(),
  sealedKey: z.string(),
  signature: z.string(),
});

export function registerEntryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/v1/cases/:id/compartments/:compartment';

  r.post(
    `${base}/entries`,
    {
      schema: {
        tags: ['entries'],
        summary: 'Store an entry encrypted and signed on the client; the server verifies the signature first',
        params,
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
          ...problems(...ERRORS, 'BAD_SIGNATURE', 'ROTATION_REQUIRED', 'KEY_VERSION_MISMATCH', 'CONFLICT'),
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
        params,
        querystring: z.strictObject(pageQuery),
        response: {
          200: z.object({
            keyVersion: z.number().int(),
            rotationRequired: z.boolean(),
            entries: z.array(entryOut),
            nextCursor: nextCursorSchema,
            grants: z.array(grantOut),
          }),
          ...problems(...ERRORS),
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
          keyVersion: g.key_version,
          granterId: g.granter_id,
          granteeKeyVersion: g.grantee_key_version,
          sealedKey: b64(g.sealed_key),
          signature: b64(g.signature),
        })),
      };
    },
  );

  r.post(
    `${base}/keys`,
    {
      schema: {
        tags: ['keys'],
        summary:
          'Create the next version of the compartment key, sealed to every entitled member (and no one else)',
        params,
        body: z.strictObject({
          keyVersion: keyVersionSchema,
          grants: z
            .array(grantInput)
            .min(1, 'is empty: nobody on the situation may hold this compartment yet')
            .max(200),
        }),
        response: {
          201: z.object({ keyVersion: z.number().int() }),
          ...problems(...ERRORS, 'BAD_SIGNATURE', 'KEY_VERSION_MISMATCH', 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const { id, compartment } = request.params;
      await rotateKey(ctx, callerOf(request), id, compartment, request.body.keyVersion, request.body.grants);
      return reply.code(201).send({ keyVersion: request.body.keyVersion });
    },
  );

  r.post(
    `${base}/grants`,
    {
      schema: {
        tags: ['keys'],
        summary: 'Give a version of the compartment key to a participant the policy (and consent) allows',
        params,
        body: grantInput.extend({ keyVersion: keyVersionSchema }),
        response: {
          201: z.object({ keyVersion: z.number().int(), granteeId: uuid }),
          ...problems(...ERRORS, 'BAD_SIGNATURE', 'ROTATION_REQUIRED', 'KEY_VERSION_MISMATCH', 'CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const { id, compartment } = request.params;
      const { keyVersion, ...grant } = request.body;
      await giveGrant(ctx, callerOf(request), id, compartment, keyVersion, grant);
      return reply.code(201).send({ keyVersion, granteeId: grant.granteeId });
    },
  );
}
