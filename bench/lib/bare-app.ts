import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

// The baselines: a bare Fastify with none of the service's plugins, no authentication, no
// validation, no authorization and no transaction, doing the same database work in one statement.
// It runs in the same process as the real API, on the same database, so that a ratio between the
// two is the cost of the protections and nothing else.

/** One parameterised statement: a plain `pg` pool on PostgreSQL, the single session on PGlite. */
export type BareQuery = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

interface EntryBody {
  id: string;
  keyVersion: number;
  kind: string;
  refersTo: string | null;
  nonce: string;
  ciphertext: string;
  signature: string;
}

const INSERT_ENTRY = `insert into entries
  (clsm_id, id, case_id, compartment, key_version, author_id, kind, refers_to, nonce, ciphertext, signature)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning created_at`;

const SELECT_ENTRIES = `select * from entries where clsm_id = $1 and case_id = $2 and compartment = $3
  order by created_at, id`;

// The same event the read path records, then sealed into the chain by its id, as the API's sealer
// does once the event has committed (docs/adr/0032, 0039). Sealing by the CLSM instead
// (`audit_seal`) would scan the CLSM's range of audit_pending, dead rows included where vacuum has
// not passed, and make this baseline slower than what the API pays for the same event.
const INSERT_EVENT = `insert into audit_pending
  (clsm_id, type, outcome, actor_id, actor_role, case_id, compartment, legal_basis, request_id)
  values ($1, 'compartment.read', 'success', $2, $3, $4, $5, 'care_team', $6) returning id`;
const SEAL = 'select audit_seal_many(array[$1::bigint])';

const b64 = (value: unknown) => (value as Buffer).toString('base64');

export function buildBareApp(query: BareQuery): FastifyInstance {
  const app = Fastify();

  // The calibration route: no database, no plugin, nothing to measure but the HTTP stack and the
  // load generator itself (bench/scenarios/calibration.ts).
  app.get('/bare/ping', () => ({ ok: true }));

  // The write path's baseline: the same JSON body, the same 4 KB row in the same table.
  app.post<{
    Params: { clsm: string; case: string; compartment: string; author: string };
    Body: EntryBody;
  }>('/bare/entries/:clsm/:case/:compartment/:author', async (request, reply) => {
    const { clsm, case: caseId, compartment, author } = request.params;
    const e = request.body;
    const rows = await query(INSERT_ENTRY, [
      clsm,
      e.id,
      caseId,
      compartment,
      e.keyVersion,
      author,
      e.kind,
      e.refersTo,
      Buffer.from(e.nonce, 'base64'),
      Buffer.from(e.ciphertext, 'base64'),
      Buffer.from(e.signature, 'base64'),
    ]);
    return reply.code(201).send({ id: e.id, createdAt: (rows[0]?.created_at as Date).toISOString() });
  });

  // The read path's baseline: the same rows, in the same order and the same JSON shape.
  app.get<{ Params: { clsm: string; case: string; compartment: string } }>(
    '/bare/entries/:clsm/:case/:compartment',
    async (request) => {
      const { clsm, case: caseId, compartment } = request.params;
      const rows = await query(SELECT_ENTRIES, [clsm, caseId, compartment]);
      return {
        entries: rows.map((e) => ({
          id: e.id,
          keyVersion: e.key_version,
          authorId: e.author_id,
          kind: e.kind,
          refersTo: e.refers_to,
          nonce: b64(e.nonce),
          ciphertext: b64(e.ciphertext),
          signature: b64(e.signature),
          createdAt: (e.created_at as Date).toISOString(),
        })),
      };
    },
  );

  // The raw chain append: one audit event and its sealing, nothing else.
  app.post<{ Params: { clsm: string; case: string; actor: string } }>(
    '/bare/audit/:clsm/:case/:actor',
    async (request, reply) => {
      const { clsm, case: caseId, actor } = request.params;
      const [event] = await query(INSERT_EVENT, [
        clsm,
        actor,
        'health_professional',
        caseId,
        'health',
        randomUUID(),
      ]);
      await query(SEAL, [event?.id]);
      return reply.code(204).send();
    },
  );
  return app;
}
