import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { appendAudit } from '../../src/audit/append.js';
import { eventsSealed } from '../../src/db/seal-after-commit.js';
import { openAsApp, type DatabaseAccess } from '../lib/database.js';
import { concurrentRate } from '../lib/timing.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 3: the price of the hash chain alone. A plain transaction inserting one 4 KB entry,
// against the same transaction with its audit event appended (src/audit/append.ts: one INSERT
// into audit_pending) and sealed into the chain once it has committed, as the API does
// (src/db/seal-after-commit.ts: the process's sealer takes, one sealing at a time, the lock of
// each CLSM among the events committed meanwhile and computes their links). A run ends when
// every event it wrote is sealed. 16 CLSMs have 16 independent chains, sealed together.

export interface ChainTarget {
  clsmId: string;
  caseId: string;
  authorId: string;
}

export interface AuditAppendParams {
  access: DatabaseAccess;
  /** One case per CLSM, prepared through the API; the first is the "one CLSM". */
  targets: ChainTarget[];
  clients: number[];
  /** Clients of the many-CLSMs configuration: client i writes to CLSM i. */
  spreadClients: number;
  seconds: number;
  runs: number;
}

interface Config {
  id: string;
  name: string;
  baseline?: string;
  clients: number;
  audited: boolean;
  spread: boolean;
}

const CIPHERTEXT = randomBytes(4096 + 16);

async function write(db: Kysely<Database>, target: ChainTarget, audited: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await trx
      .insertInto('entries')
      .values({
        clsm_id: target.clsmId,
        id,
        case_id: target.caseId,
        compartment: 'health',
        key_version: 1,
        author_id: target.authorId,
        kind: 'note',
        refers_to: null,
        nonce: randomBytes(24),
        ciphertext: CIPHERTEXT,
        signature: randomBytes(64),
      })
      .execute();
    if (!audited) return;
    await appendAudit(trx, {
      clsmId: target.clsmId,
      actorId: target.authorId,
      actorRole: 'health_professional',
      requestId: randomUUID(),
      type: 'entry.written',
      outcome: 'success',
      caseId: target.caseId,
      compartment: 'health',
      resourceType: 'entry',
      resourceId: id,
      keyVersion: 1,
      legalBasis: { kind: 'care_team' },
    });
  });
}

function configs(params: AuditAppendParams): Config[] {
  const out: Config[] = [];
  for (const c of params.clients) {
    out.push({
      id: `plain-${c}c`,
      name: `plain 4 KB insert, ${c} client(s)`,
      clients: c,
      audited: false,
      spread: false,
    });
    out.push({
      id: `audited-1t-${c}c`,
      name: `audited insert, 1 tenant, ${c} client(s)`,
      baseline: `plain-${c}c`,
      clients: c,
      audited: true,
      spread: false,
    });
  }
  const n = params.spreadClients;
  if (!params.clients.includes(n)) {
    out.push({
      id: `plain-${n}c`,
      name: `plain 4 KB insert, ${n} clients`,
      clients: n,
      audited: false,
      spread: false,
    });
  }
  out.push({
    id: `audited-${params.targets.length}t-${n}c`,
    name: `audited insert, ${params.targets.length} tenants, ${n} clients`,
    baseline: `plain-${n}c`,
    clients: n,
    audited: true,
    spread: true,
  });
  return out;
}

export async function measureAuditAppend(params: AuditAppendParams): Promise<Record<string, number[]>> {
  const all = configs(params);
  const dbs = await openAsApp(params.access, Math.max(...all.map((c) => c.clients)));
  try {
    const once = (config: Config, seconds: number) =>
      concurrentRate(
        seconds,
        config.clients,
        (client) => {
          const target = config.spread ? params.targets[client % params.targets.length] : params.targets[0];
          if (target === undefined) throw new Error('no prepared case to write to');
          return write(dbs.db, target, config.audited);
        },
        () => eventsSealed(dbs.db),
      );
    for (const config of all) await once(config, Math.min(1, params.seconds));
    const rates: Record<string, number[]> = {};
    // Runs interleave the configurations, so that a slow moment of the machine hits them all.
    for (let run = 0; run < params.runs; run += 1) {
      for (const config of all) (rates[config.id] ??= []).push(await once(config, params.seconds));
    }
    return rates;
  } finally {
    await dbs.close();
  }
}

export async function auditAppend(params: AuditAppendParams): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('audit-append', params);
  return configs(params).map((c) => ({
    id: c.id,
    scenario: 3,
    name: c.name,
    unit: 'tx/s',
    runs: value[c.id] ?? [],
    peakRssMb,
    ...(c.baseline === undefined ? {} : { baseline: c.baseline }),
  }));
}
