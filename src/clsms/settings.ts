import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import type { Config } from '../config/config.js';

// What the CLSM is and how the service is set for it. Nothing here is set by a member: the name is
// given when the CLSM is created (`clsm admin tenant create`), the rest by the operator's
// configuration (docs/operations.md). Members read it; the coordination shows it.

export interface ClsmSettings {
  id: string;
  name: string;
  createdAt: Date;
  retentionDays: number;
  exceptionDefaultHours: number;
  statistics: { approvalWindowDays: number; approvalThreshold: number };
}

export async function readClsmSettings(
  db: Kysely<Database>,
  policies: PolicyEngine,
  config: Config,
  caller: Caller,
): Promise<ClsmSettings> {
  authorize(policies, caller, { kind: 'clsm', action: 'clsm.read' });
  const row = await db
    .selectFrom('tenants')
    .select(['name', 'created_at'])
    .where('clsm_id', '=', caller.clsmId)
    .executeTakeFirstOrThrow();
  return {
    id: caller.clsmId,
    name: row.name,
    createdAt: row.created_at,
    retentionDays: config.retention.days,
    exceptionDefaultHours: config.exceptionDefaultHours,
    statistics: { ...config.statistics },
  };
}
