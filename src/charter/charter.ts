import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { by } from '../kernel/audit-events.js';
import { authorize, type Caller } from '../access/authorize.js';
import type { PolicyEngine } from '../access/policy-engine.js';
import { AppError, conflict } from '../kernel/errors.js';
import type { CharterText } from './texts.js';

export interface CurrentCharter {
  version: number;
  text: string;
  sha256: Buffer;
  publishedAt: Date;
  accepted: boolean;
}

async function currentVersion(db: Kysely<Database> | Transaction<Database>, clsmId: string) {
  return db
    .selectFrom('charter_publications')
    .select(['version', 'published_at'])
    .where('clsm_id', '=', clsmId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export async function readCharter(
  db: Kysely<Database>,
  policies: PolicyEngine,
  texts: readonly CharterText[],
  caller: Caller,
): Promise<CurrentCharter> {
  authorize(policies, caller, { kind: 'clsm', action: 'charter.read' });
  const current = await currentVersion(db, caller.clsmId);
  const text = texts.find((t) => t.version === current.version);
  if (text === undefined) throw new Error(`charter v${current.version} is published but not shipped`);
  return {
    version: text.version,
    text: text.text,
    sha256: text.sha256,
    publishedAt: current.published_at,
    accepted: caller.charterAccepted,
  };
}

export async function acceptCharter(
  db: Kysely<Database>,
  policies: PolicyEngine,
  caller: Caller,
  version: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    authorize(policies, caller, { kind: 'clsm', action: 'charter.accept' });
    const current = await currentVersion(trx, caller.clsmId);
    if (current.version !== version) {
      throw conflict(
        `version ${version} is not the current charter (v${current.version}): read it again before accepting`,
      );
    }
    await trx
      .insertInto('charter_acceptances')
      .values({ clsm_id: caller.clsmId, member_id: caller.memberId, version })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'charter.accepted',
      outcome: 'success',
      resourceType: 'charter',
      resourceId: String(version),
    });
  });
}

/** Publishing a new version means every member, the publisher included, must accept it again. */
export async function publishCharter(
  db: Kysely<Database>,
  policies: PolicyEngine,
  texts: readonly CharterText[],
  caller: Caller,
  version: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    authorize(policies, caller, { kind: 'clsm', action: 'charter.publish' });
    const text = texts.find((t) => t.version === version);
    if (text === undefined)
      throw new AppError('VALIDATION_FAILED', `no charter v${version} is shipped in policies/charter/`);
    const current = await currentVersion(trx, caller.clsmId);
    if (version <= current.version)
      throw conflict(`v${current.version} is already published; publish a later version`);
    await trx
      .insertInto('charter_publications')
      .values({ clsm_id: caller.clsmId, version, text_sha256: text.sha256, published_by: caller.memberId })
      .execute();
    await appendAudit(trx, {
      ...by(caller),
      type: 'charter.published',
      outcome: 'success',
      resourceType: 'charter',
      resourceId: String(version),
    });
  });
}
