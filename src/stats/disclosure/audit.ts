import { buildAttackerModel } from './attacker-model.js';
import {
  CATALOGUE_VERSION,
  DISCLOSURE_BLOCKS,
  TABLE_IDS,
  type CountTableDef,
} from '../vocabulary/catalogue.js';
import { feasibleRanges } from './lp-ranges.js';
import type { PublishedTable, Release } from '../vocabulary/release-schema.js';
import { K, MIN_PROTECTION_WIDTH } from './rules.js';

// The check that runs before any release: for every hidden cell, the range of true values that is
// consistent with everything published. A release is refused when a hidden cell is pinned to a small
// count or its range is narrower than MIN_PROTECTION_WIDTH (docs/statistics.md, "The LP check").

export type FindingReason = 'pinned' | 'narrow' | 'contradictory';

export interface AuditFinding {
  readonly tableId: string;
  /** Absent when the whole table contradicts itself. */
  readonly key?: string;
  readonly min?: number;
  readonly max?: number;
  readonly reason: FindingReason;
}

/** Which cells failed and why, without the recovered values: an error may end up in a log. */
export type RefusedCell = Pick<AuditFinding, 'tableId' | 'key' | 'reason'>;

export class DisclosureCheckError extends Error {
  override name = 'DisclosureCheckError';

  constructor(
    message: string,
    readonly refused: readonly RefusedCell[] = [],
  ) {
    super(message);
  }
}

/** The findings of one block of linked tables; empty when every hidden cell is protected. */
export function auditBlock(
  block: readonly CountTableDef[],
  published: ReadonlyMap<string, PublishedTable>,
): AuditFinding[] {
  const ranges = feasibleRanges(buildAttackerModel(block, published));
  if (ranges === null) return block.map((t) => ({ tableId: t.id, reason: 'contradictory' }));
  const findings: AuditFinding[] = [];
  for (const { tableId, key, min, max } of ranges) {
    if (min === max && min >= 1 && min < K) findings.push({ tableId, key, min, max, reason: 'pinned' });
    else if (max - min < MIN_PROTECTION_WIDTH) findings.push({ tableId, key, min, max, reason: 'narrow' });
  }
  return findings;
}

export function auditRelease(release: Release): AuditFinding[] {
  if (release.catalogueVersion !== CATALOGUE_VERSION) {
    throw new DisclosureCheckError(
      `cannot check a release of catalogue ${release.catalogueVersion}: this engine knows ${CATALOGUE_VERSION}`,
    );
  }
  const ids = release.tables.map((t) => t.id);
  if (ids.join() !== TABLE_IDS.join()) {
    throw new DisclosureCheckError(`the release does not hold the tables of catalogue ${CATALOGUE_VERSION}`);
  }
  const published = new Map(release.tables.map((t) => [t.id, t]));
  return DISCLOSURE_BLOCKS.flatMap((block) => auditBlock(block, published));
}

/** Throws unless every hidden cell of the release is protected. */
export function assertReleaseProtected(release: Release): void {
  const findings = auditRelease(release);
  if (findings.length === 0) return;
  const refused = findings.map(({ tableId, key, reason }) =>
    key === undefined ? { tableId, reason } : { tableId, key, reason },
  );
  const lines = refused.map((f) => `${f.tableId}${f.key === undefined ? '' : `/${f.key}`}: ${f.reason}`);
  throw new DisclosureCheckError(
    `release ${release.year} refused, hidden cells could be recovered: ${lines.join(', ')}`,
    refused,
  );
}
