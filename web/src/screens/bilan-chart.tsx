import { useId } from 'react';
import { useIntl } from 'react-intl';
import type { PublishedTable } from '../../../src/stats/vocabulary/release-schema.js';
import { useMessages } from '../ui/messages.js';
import { formatValue, scaleOf } from './bilan-values.js';

// One published table as horizontal bars, drawn by hand in SVG: one image named by the table's
// title, described as a bar chart, whose figures the table that follows gives in full. A hidden cell
// (n.d.) has no bar, only its words: a bar of any length would suggest a value.

const WIDTH = 640;
const ROW = 36;
const BAR_MAX = 520;

export function BilanChart({ table }: { table: PublishedTable }) {
  const m = useMessages();
  const intl = useIntl();
  const id = useId();
  const scale = scaleOf(table);
  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${WIDTH} ${table.cells.length * ROW + 4}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{table.title}</title>
      <desc id={`${id}-desc`}>{m('bilan.chart.desc')}</desc>
      {table.cells.map((cell, i) => {
        const y = i * ROW;
        const text = formatValue(intl, table, cell.value);
        const length = cell.value === 'n.d.' ? 0 : Math.round((cell.value / scale) * BAR_MAX);
        return (
          <g key={cell.key}>
            <text x={0} y={y + 13} className="bar-label">
              {cell.label}
            </text>
            {length > 0 ? <rect x={0} y={y + 18} width={length} height={14} className="bar" /> : null}
            <text x={length + 6} y={y + 30} className={cell.value === 'n.d.' ? 'bar-value nd' : 'bar-value'}>
              {cell.value === 'n.d.' ? m('bilan.nd.long') : text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
