import { Button } from 'react-aria-components';
import type { PublishedTable } from '../../../src/stats/vocabulary/release-schema.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { useAction } from '../ui/use-action.js';
import { BilanChart } from './bilan-chart.js';
import { BilanTable } from './bilan-table.js';

// One table of a released bilan: its title and who it counts, the chart and the table, the notes
// the release carries (in French, as published), and its CSV as the statistics server makes it.

export function BilanSection({
  table,
  contributors,
  download,
}: {
  table: PublishedTable;
  /** In the regional aggregate: how many CLSMs the table sums. */
  contributors?: number | undefined;
  download: () => Promise<void>;
}) {
  const m = useMessages();
  const csv = useAction(download);
  const headingId = `table-${table.id}`;
  return (
    <section className="bilan-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{table.title}</h2>
      <p className="muted">{m('bilan.population', { population: table.population })}</p>
      {contributors === undefined ? null : (
        <p className="muted">{m('bilan.contributors', { contributors })}</p>
      )}
      {table.status === 'withheld' ? (
        <p>{m('bilan.withheld')}</p>
      ) : (
        <>
          <BilanChart table={table} />
          <BilanTable table={table} />
        </>
      )}
      <ul className="bilan-notes">
        {table.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <Button
        className="button"
        isDisabled={csv.busy}
        aria-label={m('bilan.download.named', { title: table.title })}
        onPress={() => void csv.run()}
      >
        {m('bilan.download')}
      </Button>
      <ErrorNotice error={csv.error} />
    </section>
  );
}
