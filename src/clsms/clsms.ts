import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/append.js';
import { PLATFORM_CLSM } from '../kernel/audit-events.js';
import type { CharterText } from '../charter/texts.js';
import { issueCode } from '../members/enrollment.js';

export interface NewClsm {
  clsmId: string;
  name: string;
  coordinatorCode: string;
  codeExpiresAt: Date;
}

/**
 * Creates a CLSM with the latest shipped charter published, and a one-time enrollment code for its
 * first coordinator. Run by operators next to the database (`clsm admin tenant create`) and by the
 * first start of an empty embedded database.
 */
export async function createClsm(
  db: Kysely<Database>,
  name: string,
  charters: readonly CharterText[],
): Promise<NewClsm> {
  const latest = charters.at(-1);
  if (latest === undefined) throw new Error('no charter text to publish');
  return db.transaction().execute(async (trx) => {
    const clsmId = randomUUID();
    await trx.insertInto('tenants').values({ clsm_id: clsmId, name }).execute();
    await trx
      .insertInto('charter_publications')
      .values({ clsm_id: clsmId, version: latest.version, text_sha256: latest.sha256, published_by: null })
      .execute();
    const issued = await issueCode(
      trx,
      clsmId,
      { role: 'coordinator', organisation: name, displayName: 'Coordination' },
      null,
    );
    await appendAudit(trx, {
      clsmId,
      type: 'member.invited',
      outcome: 'success',
      resourceType: 'invitation',
      resourceId: issued.id,
    });
    await appendAudit(trx, {
      clsmId,
      type: 'charter.published',
      outcome: 'success',
      resourceType: 'charter',
      resourceId: String(latest.version),
    });
    return { clsmId, name, coordinatorCode: issued.code, codeExpiresAt: issued.expiresAt };
  });
}

/** On a database without any CLSM, creates the default one. Returns undefined when there already is one. */
export async function bootstrapClsm(
  db: Kysely<Database>,
  name: string,
  charters: readonly CharterText[],
): Promise<NewClsm | undefined> {
  const existing = await db
    .selectFrom('tenants')
    .select('clsm_id')
    .where('clsm_id', '!=', PLATFORM_CLSM)
    .limit(1)
    .executeTakeFirst();
  if (existing !== undefined) return undefined;
  return createClsm(db, name, charters);
}
