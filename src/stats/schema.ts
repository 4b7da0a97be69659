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
  Problem,
  ReferralSource,
  Sex,
} from './categories.js';

// The `stats` schema as Kysely sees it (migrations/2026112206_stats.ts). Months are 'YYYY-MM'
// strings; every other value is a category code.

export interface CaseFactsTable {
  clsm_id: string;
  /** Random: neither the case id nor derived from it. */
  id: string;
  referred_month: string;
  source: ReferralSource | null;
  sex: Sex | null;
  age_band: AgeBand | null;
  housing: HousingSituation | null;
  household: Household | null;
  problems: Problem[] | null;
  decline_reason: DeclineReason | null;
  first_review_month: string | null;
  first_review_delay: DelayBand | null;
  closure_month: string | null;
  outcome: Outcome | null;
  duration: DurationBand | null;
}

export interface CaseDecisionsTable {
  clsm_id: string;
  fact_id: string;
  month: string;
  decision: Decision;
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
}

/** The only relation the statistics role may read. */
export interface PublishedReleasesView {
  clsm_id: ColumnType<string, never, never>;
  year: ColumnType<number, never, never>;
  catalogue_version: ColumnType<string, never, never>;
  content: ColumnType<string, never, never>;
  content_hash: ColumnType<string, never, never>;
  released_at: ColumnType<Date, never, never>;
}

export interface StatsTables {
  'stats.case_facts': CaseFactsTable;
  'stats.case_decisions': CaseDecisionsTable;
  'stats.sittings_held': SittingsHeldTable;
  'stats.attendance': AttendanceTable;
  'stats.releases': ReleasesTable;
  'stats.published_releases': PublishedReleasesView;
}
