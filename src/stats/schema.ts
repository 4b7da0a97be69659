import type { ColumnType } from 'kysely';
import type {
  AgeBand,
  Decision,
  DeclineReason,
  DelayBand,
  DurationBand,
  Household,
  HousingSituation,
  Outcome,
  PartnerCategory,
  ProblemCategory,
  ReferralSource,
  Sex,
} from './vocabulary/categories.js';

// The `stats` schema as Kysely sees it (migrations/2026112206_stats.ts, 2026113003_statistics_controls.ts).
// Months are 'YYYY-MM' strings; every other value is a category code. The application role reads
// and writes case facts only through the schema's functions (src/stats/recorder/,
// src/stats/releases/fact-reader.ts), so their tables are not listed in StatsTables.

/** A row of stats.case_facts as stats.release_facts returns it: no id, its decisions beside it. */
export interface ReleaseFactRow {
  referred_month: string;
  source: ReferralSource | null;
  sex: Sex | null;
  age_band: AgeBand | null;
  housing: HousingSituation | null;
  household: Household | null;
  problems: ProblemCategory[] | null;
  decline_reason: DeclineReason | null;
  first_review_month: string | null;
  first_review_delay: DelayBand | null;
  closure_month: string | null;
  outcome: Outcome | null;
  duration: DurationBand | null;
  decisions: { month: string; decision: Decision }[];
}

export interface SittingsHeldTable {
  clsm_id: string;
  month: string;
  held: number;
}

export interface AttendanceTable {
  clsm_id: string;
  month: string;
  partner: PartnerCategory;
  expected: number;
  present: number;
}

export interface ReleasesTable {
  clsm_id: string;
  year: number;
  catalogue_version: string;
  /** The canonical JSON, byte for byte as served. */
  content: string;
  /** SHA-256 of `content`, lowercase hex; the database checks it. */
  content_hash: string;
  released_at: Date;
  released_by: string;
  /** The second person, when the release needed one (src/stats/releases/approval.ts). */
  approved_by: string | null;
}

/** A release that waits for a second person's approval. */
export interface ReleaseRequestsTable {
  clsm_id: string;
  year: number;
  requested_by: string;
  requested_at: Date;
  changed_situations: number;
}

/** Which CLSMs each table of a regional release sums, by table id. */
export type RegionalContributions = Record<string, string[]>;

export interface RegionalReleasesTable {
  year: number;
  version: number;
  catalogue_version: string;
  /** The canonical JSON, byte for byte as served. */
  content: string;
  content_hash: string;
  contributions: ColumnType<RegionalContributions, string, never>;
  released_at: Date;
}

/** What the statistics role reads of the CLSMs' releases. */
export interface PublishedReleasesView {
  clsm_id: ColumnType<string, never, never>;
  year: ColumnType<number, never, never>;
  catalogue_version: ColumnType<string, never, never>;
  content: ColumnType<string, never, never>;
  content_hash: ColumnType<string, never, never>;
  released_at: ColumnType<Date, never, never>;
}

/** What the statistics role reads of the regional releases. */
export interface PublishedRegionalReleasesView {
  year: ColumnType<number, never, never>;
  version: ColumnType<number, never, never>;
  catalogue_version: ColumnType<string, never, never>;
  content: ColumnType<string, never, never>;
  content_hash: ColumnType<string, never, never>;
  released_at: ColumnType<Date, never, never>;
}

export interface StatsTables {
  'stats.sittings_held': SittingsHeldTable;
  'stats.attendance': AttendanceTable;
  'stats.releases': ReleasesTable;
  'stats.release_requests': ReleaseRequestsTable;
  'stats.regional_releases': RegionalReleasesTable;
  'stats.published_releases': PublishedReleasesView;
  'stats.published_regional_releases': PublishedRegionalReleasesView;
}
