import type { PublishedTable } from '../vocabulary/release-schema.js';

// One published table as CSV (RFC 4180: comma-separated, CRLF, quoted where needed), for a
// spreadsheet. Same content as the JSON, notes aside: one row per cell, then the total if any.

const field = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

export function tableCsv(table: PublishedTable): string {
  const rows = [['key', 'label', 'value']];
  for (const cell of table.cells) rows.push([cell.key, cell.label, String(cell.value)]);
  if (table.total !== null) rows.push(['total', 'Total', String(table.total)]);
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
