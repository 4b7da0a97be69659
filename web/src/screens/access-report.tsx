import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, useParams } from 'react-router';
import type { AccessReport } from '../../../src/client/cases.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { saveFile } from '../ui/save-file.js';
import { useAction } from '../ui/use-action.js';
import { AccessReportTable } from './access-report-table.js';
import { protectsData } from './role-scope.js';

// "Who looked at my file?": the situation's access report, for the coordinator or the DPO to hand
// to the person; downloaded as the server's CSV, or printed (styles.css, @media print, prints the
// report alone).

export function AccessReportScreen() {
  const m = useMessages();
  const { id = '' } = useParams();
  const { client, me } = useClient();
  const [report, setReport] = useState<AccessReport | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    client.cases.accessReport(id).then(setReport, setError);
  }, [client, id]);
  const download = useAction(async (reference: string) => {
    saveFile(`acces-${reference}.csv`, await client.cases.accessReportCsv(id), 'text/csv;charset=utf-8');
  });

  return (
    <section aria-labelledby="title">
      <div className="access-report">
        <h1 id="title">{m('report.title')}</h1>
        {report === undefined ? null : <p>{m('situation.title', { reference: report.reference })}</p>}
        <p className="muted">{m('report.intro')}</p>
        {report === undefined && error === undefined ? <p>{m('common.loading')}</p> : null}
        {report === undefined ? null : (
          <AccessReportTable reference={report.reference} lines={report.lines} />
        )}
      </div>
      <ErrorNotice error={error} />
      {report === undefined ? null : (
        <div className="row-actions">
          <Button
            className="button"
            isDisabled={download.busy}
            onPress={() => void download.run(report.reference)}
          >
            {m('report.download')}
          </Button>
          <Button
            className="button"
            onPress={() => {
              window.print();
            }}
          >
            {m('report.print')}
          </Button>
        </div>
      )}
      <ErrorNotice error={download.error} />
      <p>
        {/* The DPO takes part in no situation: they came from their own screen. */}
        {protectsData(me.role) ? (
          <Link to="/protection-des-donnees">{m('report.backToPrivacy')}</Link>
        ) : (
          <Link to={`/situations/${id}`}>{m('report.back')}</Link>
        )}
      </p>
    </section>
  );
}
