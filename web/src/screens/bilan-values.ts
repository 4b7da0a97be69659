import type { IntlShape } from 'react-intl';
import type { PublishedTable, PublishedValue } from '../../../src/stats/vocabulary/release-schema.js';

// A published value in fr-FR words: counts as numbers, attendance as a percentage, and `n.d.` kept
// as the bilan prints it (the page explains it).

/** The one table whose values are rates in percent (src/stats/disclosure/activity-tables.ts). */
const PERCENT_TABLES = new Set(['assiduite']);

export const isPercent = (table: PublishedTable): boolean => PERCENT_TABLES.has(table.id);

export function formatValue(intl: IntlShape, table: PublishedTable, value: PublishedValue): string {
  if (value === 'n.d.') return value;
  return isPercent(table)
    ? intl.formatNumber(value / 100, { style: 'percent', maximumFractionDigits: 0 })
    : intl.formatNumber(value);
}

/** The largest shown value, the length of the longest bar; a rate is drawn against 100 %. */
export function scaleOf(table: PublishedTable): number {
  if (isPercent(table)) return 100;
  const shown = table.cells.map((c) => c.value).filter((v): v is number => v !== 'n.d.');
  return Math.max(1, ...shown);
}
