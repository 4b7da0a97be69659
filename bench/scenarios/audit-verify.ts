import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { verifyClsm } from '../../src/audit/verify.js';
import { APP_ROLE, kyselyOver, type Databases } from '../../src/db/database.js';
import { postgresPool } from '../../src/db/pools.js';
import { loadCharterTexts } from '../../src/charter/texts.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { POLICIES_DIR } from '../../src/util/paths.js';
import { openAsApp, type DatabaseAccess } from '../lib/database.js';
import { elapsedMs } from '../lib/timing.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 6: how fast `verifyClsm` re-hashes a long chain. The log is generated in bulk, but
// through the real trigger, as the API's role: each row of INSERT ... SELECT generate_series fires
// it, takes the lock, reads the head and computes the link, exactly as one append does.

export interface AuditVerifyParams {
  access: DatabaseAccess;
  events: number;
  runs: number;
}

const BATCH = 50_000;

export async function measureAuditVerify(params: AuditVerifyParams): Promise<number[]> {
  // Two connections, as `clsm audit verify` has (the server's pool has more): verification
  // fetches the next windows while it checks one.
  const dbs = await openAsApp(params.access, 2);
  try {
    const charters = await loadCharterTexts(path.join(POLICIES_DIR, 'charter'));
    const { clsmId } = await createClsm(dbs.db, 'CLSM audit verify', charters);
    const [actor, caseId] = [randomUUID(), randomUUID()];
    for (let done = 0; done < params.events; done += BATCH) {
      const count = Math.min(BATCH, params.events - done);
      await sql`insert into audit_pending
          (clsm_id, type, outcome, actor_id, actor_role, case_id, compartment, legal_basis, resource_type, resource_id, request_id)
        select ${clsmId}::uuid, 'compartment.read', 'success', ${actor}::uuid, 'health_professional', ${caseId}::uuid,
          'health', 'care_team', 'entry', g::text, gen_random_uuid()::text
        from generate_series(1, ${count}::int) g`.execute(dbs.db);
      await sql`select audit_seal(${clsmId})`.execute(dbs.db);
    }
    await analyze(params.access, dbs);
    const rates: number[] = [];
    for (let run = 0; run < params.runs; run += 1) {
      let verdict: Awaited<ReturnType<typeof verifyClsm>> | undefined;
      const ms = await elapsedMs(async () => {
        verdict = await verifyClsm(dbs.db, clsmId);
      });
      // createClsm's own two events come first in the chain.
      if (verdict?.ok !== true || verdict.events !== params.events + 2) {
        throw new Error(`the generated chain did not verify: ${verdict?.problem ?? 'no verdict'}`);
      }
      rates.push((verdict.events * 1000) / ms);
    }
    return rates;
  } finally {
    await dbs.close();
  }
}

/**
 * A log that has been there a while has been analysed by autovacuum; one generated a second ago has
 * not, and the planner, believing the CLSM has a few hundred events, sorts the whole rest of the
 * chain for every batch that verifyClsm reads (docs/performance.md). ANALYZE needs the owner.
 */
async function analyze(access: DatabaseAccess, dbs: Databases): Promise<void> {
  if (access.engine === 'postgres') {
    const owner = kyselyOver<unknown>(postgresPool(access.ownerUrl, 1));
    try {
      await sql`analyze audit_events`.execute(owner);
    } finally {
      await owner.destroy();
    }
    return;
  }
  // PGlite's single session is its superuser's, switched to the application role.
  await sql`reset role`.execute(dbs.db);
  await sql`analyze audit_events`.execute(dbs.db);
  await sql`set role ${sql.id(APP_ROLE)}`.execute(dbs.db);
}

export async function auditVerify(params: AuditVerifyParams): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('audit-verify', params);
  return [
    {
      id: 'audit-verify',
      scenario: 6,
      name: `audit verify, ${params.events.toLocaleString('en')} events`,
      unit: 'events/s',
      runs: value,
      peakRssMb,
    },
  ];
}
