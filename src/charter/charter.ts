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

export interface CharterVersion {
  version: number;
  text: string;
  sha256: Buffer;
  /** Undefined for a version shipped in policies/charter/ but not published in this CLSM yet. */
  publishedAt: Date | undefined;
  /** Members whose acceptance of this version is recorded. */
  acceptances: number;
}

/**
 * Every version shipped with the service, with when this CLSM published it and how many members
 * accepted it: what a coordinator reads before publishing the next one. Asked as `charter.publish`:
 * the list is the publisher's.
 */
export async function listCharterVersions(
  db: Kysely<Database>,
  policies: PolicyEngine,
  texts: readonly CharterText[],
  caller: Caller,
): Promise<CharterVersion[]> {
  authorize(policies, caller, { kind: 'clsm', action: 'charter.publish' });
  const published = await db
    .selectFrom('charter_publications as p')
    .select(['p.version', 'p.published_at'])
    .select((eb) =>
      eb
        .selectFrom('charter_acceptances as a')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('a.clsm_id', '=', 'p.clsm_id')
        .whereRef('a.version', '=', 'p.version')
        .as('acceptances'),
    )
    .where('p.clsm_id', '=', caller.clsmId)
    .execute();
  return texts.map((t) => {
    const row = published.find((p) => p.version === t.version);
    return {
      version: t.version,
      text: t.text,
      sha256: t.sha256,
      publishedAt: row?.published_at,
      acceptances: Number(row?.acceptances ?? 0),
    };
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
