import type { Databases } from '../../db/database.js';

// Reads of the frozen releases, as the statistics role: the only relations it may read are the
// views stats.published_releases and stats.published_regional_releases (migrations/2026112206_stats.ts,
// 2026113003_statistics_controls.ts).

export interface StoredRelease {
  clsmId: string;
  year: number;
  catalogueVersion: string;
  /** The canonical JSON, byte for byte as released. */
  content: string;
  contentHash: string;
  releasedAt: Date;
}

const COLUMNS = ['clsm_id', 'year', 'catalogue_version', 'content', 'content_hash', 'released_at'] as const;

const toStored = (row: {
  clsm_id: string;
  year: number;
  catalogue_version: string;
  content: string;
  content_hash: string;
  released_at: Date;
}): StoredRelease => ({
  clsmId: row.clsm_id,
  year: row.year,
  catalogueVersion: row.catalogue_version,
  content: row.content,
  contentHash: row.content_hash,
  releasedAt: row.released_at,
});

export async function readRelease(
  dbs: Databases,
  clsmId: string,
  year: number,
): Promise<StoredRelease | undefined> {
  const row = await dbs.withStatsRole((trx) =>
    trx
      .selectFrom('stats.published_releases')
      .select(COLUMNS)
      .where('clsm_id', '=', clsmId)
      .where('year', '=', year)
      .executeTakeFirst(),
  );
  return row === undefined ? undefined : toStored(row);
}

/** The latest regional release of a year, as frozen. */
export async function readRegionalRelease(
  dbs: Databases,
  year: number,
): Promise<{ content: string; contentHash: string } | undefined> {
  const row = await dbs.withStatsRole((trx) =>
    trx
      .selectFrom('stats.published_regional_releases')
      .select(['content', 'content_hash'])
      .where('year', '=', year)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  return row === undefined ? undefined : { content: row.content, contentHash: row.content_hash };
}
