import { useIntl } from 'react-intl';
import type { PublishedTable } from '../../../src/stats/vocabulary/release-schema.js';
import { useMessages } from '../ui/messages.js';
import { formatValue, isPercent } from './bilan-values.js';

// The table view of a published table, always shown under its chart: every category with its
// value as published, and the exact total when the table has one.

export function BilanTable({ table }: { table: PublishedTable }) {
  const m = useMessages();
  const intl = useIntl();
  const value = (v: PublishedTable['total']) =>
    v === 'n.d.' ? (
      <abbr title={m('bilan.nd.long')}>n.d.</abbr>
    ) : v === null ? null : (
      formatValue(intl, table, v)
    );
  return (
    <table className="bilan-table">
      <caption>{table.title}</caption>
      <thead>
        <tr>
          <th scope="col">{m('bilan.col.category')}</th>
          <th scope="col" className="number">
            {isPercent(table) ? m('bilan.col.rate') : m('bilan.col.count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {table.cells.map((cell) => (
          <tr key={cell.key}>
            <th scope="row">{cell.label}</th>
            <td className="number">{value(cell.value)}</td>
          </tr>
        ))}
      </tbody>
      {table.total === null ? null : (
        <tfoot>
          <tr>
            <th scope="row">{m('bilan.total')}</th>
            <td className="number">{value(table.total)}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
