import type { DelayBand, DurationBand } from './categories.js';

// Dates become months and bands here, in the application, which knows them: only the month or the
// band reaches the `stats` schema (docs/statistics.md, "Categories"). Calendar months are in UTC, as
// case references are; a referral in the last hour of a month in Paris may count in the next month.

/** 'YYYY-MM' of a date, in UTC. */
export function monthOf(date: Date): string {
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The same day `months` calendar months later, on the last day of the month when it is shorter. */
export function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

/** Referral to first review: under one month, one to three months inclusive, more than three. */
export function delayBand(referredAt: Date, reviewedAt: Date): DelayBand {
  if (reviewedAt < addMonths(referredAt, 1)) return 'moins_1_mois';
  if (reviewedAt <= addMonths(referredAt, 3)) return '1_3_mois';
  return 'plus_3_mois';
}

/** Referral to closure, lower bounds inclusive: under 3 months, 3 to 6, 6 to 12, 12 and more. */
export function durationBand(referredAt: Date, closedAt: Date): DurationBand {
  if (closedAt < addMonths(referredAt, 3)) return 'moins_3_mois';
  if (closedAt < addMonths(referredAt, 6)) return '3_6_mois';
  if (closedAt < addMonths(referredAt, 12)) return '6_12_mois';
  return 'plus_12_mois';
}
